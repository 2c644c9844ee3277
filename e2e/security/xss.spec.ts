import { expect, test, type Page } from "@playwright/test";
import { api, businessDates, DEMO, signIn, unique } from "../fixtures";

// Stored XSS: every free-text field a user can fill gets a payload that would run script (set
// window.__xss or open an alert) if it were ever inserted as HTML. The pages that show them must
// show the text literally, create no element from it and run nothing. Each payload carries a
// `data-xss` attribute, so an element made from one is found whether or not CSP stopped its script.
// Dates come from today in China (the demo locks last year's quarters): see businessDates().

type TId = { id: string; version: number };

const marker = unique("XSS");
const P = {
  unit: `<img data-xss src=x onerror="window.__xss='unit'">${marker}`,
  projectName: `${marker}<img data-xss src=x onerror="window.__xss='name'">`,
  notes: `<script data-xss>window.__xss='notes'</script>"><svg data-xss onload="alert('notes')">`,
  firstNote: `</textarea><img data-xss src=x onerror=alert('first-note')>`,
  investor: `${marker}"><svg data-xss onload="window.__xss='investor'">`,
  contactName: `<b data-xss onmouseover="window.__xss='contact'">联系人</b>`,
  contactTitle: `' onfocus='window.__xss=1' autofocus='`,
  moveNote: `<iframe data-xss srcdoc="<script>parent.__xss='move'</script>"></iframe>`,
  evidence: `<a data-xss href="javascript:window.__xss='ev'">YH</a>`,
  evidence2: `{{constructor.constructor('window.__xss=1')()}}`,
  trancheNote: `<math><mtext></p><img data-xss src=x onerror=alert('tranche')></mtext></math>`,
  reject: `<details data-xss open ontoggle="window.__xss='reject'">驳回</details>`,
  summary: `<style data-xss>body{display:none}</style><img data-xss src=x onerror="window.__xss='summary'">`,
  participants: `javascript:alert('participants')//<input data-xss autofocus onfocus="window.__xss='p'">`,
  nextStep: `</title><script data-xss>alert('next')</script>`,
  userName: `<img data-xss src=x onerror="window.__xss='user'">负责人`,
  view: `<svg data-xss onload=alert('view')>视图`,
  backReason: `<img data-xss src=x onerror="window.__xss='back'">退回洽谈前`,
  lostReason: `<video data-xss><source onerror="window.__xss='lost'"></video>终止`,
  reopen: `<img data-xss src=x onerror="window.__xss='reopen'">更正数据`,
  flagNote: `<a data-xss href="javascript:alert('flag')">已核实</a>`,
  importUnit: `<img data-xss src=x onerror="window.__xss='import-unit'">`,
  importOrigin: `<svg data-xss onload="window.__xss='import-origin'">`,
  importStage: `<script data-xss>window.__xss='import-stage'</script>`,
};
const PHONE = "0411-88886666";

/** Watch a page for anything a payload could do: dialogs, and the flag it sets. */
function watch(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

async function expectInert(page: Page, dialogs: string[], where: string) {
  await page.waitForLoadState("networkidle");
  expect(dialogs, `${where}: a dialog opened`).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `${where}: a payload ran`).toBeUndefined();
  await expect(page.locator("[data-xss]"), `${where}: an element was made from a payload`).toHaveCount(0);
}

/** The payload appears as text in the page (React escaped it). */
async function expectLiteral(page: Page, texts: string[], where: string) {
  const body = (await page.locator("body").textContent()) ?? "";
  for (const text of texts) expect(body, `${where}: shows ${text} literally`).toContain(text);
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;

test("payloads in every free-text field are shown as text and never run", async ({ browser }) => {
  test.setTimeout(300_000);
  const d = businessDates();
  const lastYear = Number(d.today.slice(0, 4)) - 1;
  // a zone of our own under 大连市, so the lists below contain exactly these records
  const admin = await browser.newPage();
  const adminDialogs = watch(admin);
  await signIn(admin, DEMO.admin, null);
  const units = await api<Array<{ id: string; code: string }>>(admin, "units.list", undefined, "query");
  const zone = await api<{ id: string; code: string }>(admin, "units.create", { code: unique("XSS-"), name: P.unit, kind: "zone", parentId: units.find((u) => u.code === "210200")!.id });
  // a user of the zone with a payload for a name: the projects' owner
  const owner = await api<{ id: string }>(admin, "users.create", { email: `${unique("xss-owner")}@zs.example`.toLowerCase(), name: P.userName, role: "staff", unitId: zone.id, password: "Xss-Owner-pass-2026" });

  const staff = await browser.newPage();
  const staffDialogs = watch(staff);
  await signIn(staff, DEMO.dalianStaff, null);
  const project = await api<TId & { investorId: string }>(staff, "projects.create", {
    name: P.projectName, notes: P.notes, note: P.firstNote, capitalType: "domestic", unitId: zone.id, ownerId: owner.id, industry: "new_energy", sourceChannel: "exhibition",
    plannedAmount: "300000000", startedOn: d.daysAgo(30), investor: { newInvestor: { name: P.investor, originRegion: "320000" } },
  });
  await api(staff, "investors.addContact", { investorId: project.investorId, name: P.contactName, title: P.contactTitle, phone: PHONE, email: "" });
  // contact → signed skips negotiation: an integrity flag to review below
  const signed = await api<TId>(staff, "projects.moveStage", { id: project.id, version: project.version, toStage: "signed", toStatus: "active", businessDate: d.daysAgo(20), signedAmount: "250000000", note: P.moveNote });
  expect(signed.version).toBeGreaterThan(project.version);
  await api(staff, "funds.report", { projectId: project.id, amount: "1000000", arrivedOn: d.daysAgo(10), evidenceNo: P.evidence, note: P.trancheNote });
  const second = await api<TId>(staff, "funds.report", { projectId: project.id, amount: "2000", arrivedOn: d.daysAgo(9), evidenceNo: P.evidence2, note: P.trancheNote });
  await api(staff, "activities.add", { projectId: project.id, kind: "visit", occurredOn: d.daysAgo(8), summary: P.summary, participants: P.participants, nextStep: P.nextStep, nextDueOn: d.daysAhead(30) });
  // a second project moved backwards and then ended, each with a payload for its reason
  const other = await api<TId>(staff, "projects.create", {
    name: `${marker}终止项目`, capitalType: "domestic", unitId: zone.id, industry: "new_energy", sourceChannel: "exhibition",
    plannedAmount: "50000000", startedOn: d.daysAgo(30), investor: { investorId: project.investorId },
  });
  const n = await api<TId>(staff, "projects.moveStage", { id: other.id, version: other.version, toStage: "negotiation", toStatus: "active", businessDate: d.daysAgo(25) });
  const back = await api<TId>(staff, "projects.moveStage", { id: n.id, version: n.version, toStage: "contact", toStatus: "active", businessDate: d.daysAgo(20), reason: P.backReason });
  await api(staff, "projects.moveStage", { id: back.id, version: back.version, toStage: "contact", toStatus: "lost", businessDate: d.daysAgo(15), reason: P.lostReason });
  await api(staff, "views.save", { name: P.view, query: `q=${marker}` });

  const leader = await browser.newPage();
  const leaderDialogs = watch(leader);
  await signIn(leader, DEMO.dalianLeader, null);
  await api(leader, "funds.verify", { id: second.id, version: second.version, decision: "reject", reason: P.reject });
  const flags = await api<Array<{ rule: string; key: string }>>(leader, "flags.forProject", { projectId: project.id }, "query");
  await api(leader, "flags.review", { key: flags.find((f) => f.rule === "skipped_stage")!.key, note: P.flagNote });

  // last December of the zone, locked and reopened by the admin with a payload for the reason
  const lock = await api<TId>(admin, "locks.lock", { unit: zone.code, kind: "month", year: lastYear, n: 12 });
  await api(admin, "locks.reopen", { id: lock.id, version: lock.version, reason: P.reopen });

  // the project list
  await staff.goto(`/projects?q=${encodeURIComponent(marker)}`);
  await expect(staff.getByTestId("project-count")).toHaveText("共 2 个项目");
  await expectInert(staff, staffDialogs, "project list");
  await expectLiteral(staff, [P.projectName, P.investor, P.view], "project list");

  // the project page: details, notes, timeline, tranches, activities, investor and contacts
  await staff.goto(`/projects/${project.id}`);
  await expect(staff.getByRole("heading", { name: P.projectName })).toBeVisible();
  await expectInert(staff, staffDialogs, "project page");
  await expectLiteral(staff, [P.projectName, P.notes, P.firstNote, P.moveNote, P.investor, P.contactName, P.contactTitle, P.evidence, P.evidence2, P.trancheNote, P.reject, P.summary, P.participants, P.nextStep, P.userName], "project page");
  expect(await staff.title()).toContain(P.projectName);

  // the backward move's and the end's reasons, in the other project's timeline
  await staff.goto(`/projects/${other.id}`);
  await expect(staff.getByRole("heading", { name: `${marker}终止项目` })).toBeVisible();
  await expectInert(staff, staffDialogs, "project page (moved back, lost)");
  await expectLiteral(staff, [P.backReason, P.lostReason], "project page (moved back, lost)");

  // the edit form holds the values in inputs and textareas
  await staff.goto(`/projects/${project.id}/edit`);
  await expect(staff.getByTestId("field-name")).toHaveValue(P.projectName);
  await expectInert(staff, staffDialogs, "edit page");

  // the pipeline board's cards
  await staff.goto(`/pipeline?q=${encodeURIComponent(marker)}`);
  await expect(staff.getByTestId("board-card").first()).toBeVisible();
  await expectInert(staff, staffDialogs, "pipeline board");
  await expectLiteral(staff, [P.projectName, P.investor, P.unit, P.userName], "pipeline board");

  // Ctrl-K search: projects and investors by name, contacts by phone
  await staff.keyboard.press("Control+k");
  await expect(staff.getByTestId("search-dialog")).toBeVisible();
  await staff.getByTestId("search-input").fill(marker);
  await expect(staff.getByTestId("search-results")).toContainText(marker);
  await expectInert(staff, staffDialogs, "search results");
  await expectLiteral(staff, [P.projectName, P.investor], "search results");
  await staff.getByTestId("search-input").fill(PHONE);
  await expect(staff.getByTestId("search-results")).toContainText(PHONE);
  await expectInert(staff, staffDialogs, "search results (contact)");
  await expectLiteral(staff, [P.contactName, P.contactTitle], "search results (contact)");
  await staff.keyboard.press("Escape");

  // the import preview's error table quotes the values it could not use
  await staff.goto("/import");
  await staff.getByTestId("import-kind-projects").click();
  const header = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,计划投资额(万元),阶段";
  const row = [unique("XSSIMP-"), `${marker}导入项目`, "内资", P.importUnit, `${marker}导入投资有限公司`, P.importOrigin, "100", P.importStage].map(csvCell).join(",");
  await staff.getByTestId("import-file").setInputFiles({ name: "项目导入.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${header}\r\n${row}\r\n`) });
  await expect(staff.getByTestId("import-errors")).toBeVisible();
  await expectInert(staff, staffDialogs, "import preview");
  await expectLiteral(staff, [P.importUnit, P.importOrigin, P.importStage], "import preview");

  // the verification queue, pending and rejected
  await leader.goto(`/verification?unit=${encodeURIComponent(zone.code)}`);
  await expect(leader.getByTestId("queue-table")).toBeVisible();
  await expectInert(leader, leaderDialogs, "verification queue");
  await expectLiteral(leader, [P.projectName, P.evidence, P.unit], "verification queue");
  await leader.goto(`/verification?status=rejected&unit=${encodeURIComponent(zone.code)}`);
  await expectInert(leader, leaderDialogs, "rejected tranches");
  await expectLiteral(leader, [P.projectName, P.evidence2, P.reject], "rejected tranches");

  // the dashboard's lists (the project is major; its first tranche moved it to funds) and its
  // locks panel, over last December (the reopened lock) to the end of this year
  await leader.goto(`/dashboard?${new URLSearchParams({ unit: zone.code, from: `${lastYear}-12-01`, to: `${lastYear + 1}-12-31` })}`);
  await expect(leader.getByTestId("list-major")).toContainText(P.projectName);
  await expect(leader.getByTestId("locks-panel")).toContainText(P.reopen);
  await expectInert(leader, leaderDialogs, "dashboard");
  await expectLiteral(leader, [P.investor, P.unit, P.reopen], "dashboard");

  // the flags page, open and reviewed (with the review note)
  await leader.goto(`/flags?unit=${encodeURIComponent(zone.code)}&status=open`);
  await expectInert(leader, leaderDialogs, "flags");
  await leader.goto(`/flags?unit=${encodeURIComponent(zone.code)}&status=reviewed`);
  await expect(leader.getByTestId("flag-review-note-text").first()).toBeVisible();
  await expectInert(leader, leaderDialogs, "flags (reviewed)");
  await expectLiteral(leader, [P.flagNote, P.projectName], "flags (reviewed)");

  // the review-meeting print view of the zone
  await leader.goto(`/reports/review?${new URLSearchParams({ unit: zone.code, from: d.yearStart, to: d.today })}`);
  await expect(leader.getByTestId("review-print-page")).toBeVisible();
  await expectInert(leader, leaderDialogs, "review print view");
  await expectLiteral(leader, [P.unit], "review print view");

  // the locks page, with the reopening and its reason
  await admin.goto(`/locks?unit=${encodeURIComponent(zone.code)}`);
  await expect(admin.getByTestId("locks-table")).toContainText(P.reopen);
  await expectInert(admin, adminDialogs, "locks page");
  await expectLiteral(admin, [P.reopen, P.unit], "locks page");

  // the admin pages: users, and the audit log of the project and of the lock, changes opened
  await admin.goto("/admin/users");
  await expect(admin.getByTestId("users-table")).toContainText(P.userName);
  await expectInert(admin, adminDialogs, "users");
  for (const [type, entity, texts] of [["project", project.id, [P.projectName, P.notes]], ["period_lock", lock.id, [P.reopen]]] as const) {
    await admin.goto(`/admin/audit?${new URLSearchParams({ type, entity })}`);
    await expect(admin.getByTestId("audit-entries")).toBeVisible();
    for (const summary of await admin.getByTestId("audit-entry").locator("summary").all()) await summary.click();
    await expectInert(admin, adminDialogs, `audit log (${type})`);
    await expectLiteral(admin, [...texts], `audit log (${type})`);
  }
  await admin.goto("/admin/audit");
  await expect(admin.getByTestId("audit-entries")).toBeVisible();
  await expectInert(admin, adminDialogs, "audit log");

  // hovering and focusing what the payloads would have hooked does nothing either
  await staff.goto(`/projects/${project.id}`);
  await staff.getByText("联系人", { exact: false }).first().hover();
  await staff.keyboard.press("Tab");
  await expectInert(staff, staffDialogs, "project page after interaction");
});
