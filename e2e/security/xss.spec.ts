import { expect, test, type Page } from "@playwright/test";
import { api, DEMO, signIn, unique } from "../fixtures";

// Stored XSS: every free-text field a user can fill gets a payload that would run script (set
// window.__xss or open an alert) if it were ever inserted as HTML. The pages that show them must
// show the text literally, create no element from it and run nothing. Each payload carries a
// `data-xss` attribute, so an element made from one is found whether or not CSP stopped its script.

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
};

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

test("payloads in every free-text field are shown as text and never run", async ({ browser }) => {
  test.setTimeout(180_000);
  // a zone of our own under 大连市, so the lists below contain exactly these records
  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin, null);
  const units = await api<Array<{ id: string; code: string }>>(admin, "units.list", undefined, "query");
  const zone = await api<{ id: string; code: string }>(admin, "units.create", { code: unique("XSS-"), name: P.unit, kind: "zone", parentId: units.find((u) => u.code === "210200")!.id });
  await admin.close();

  const staff = await browser.newPage();
  const staffDialogs = watch(staff);
  await signIn(staff, DEMO.dalianStaff, null);
  const project = await api<TId & { investorId: string }>(staff, "projects.create", {
    name: P.projectName, notes: P.notes, note: P.firstNote, capitalType: "domestic", unitId: zone.id, industry: "new_energy", sourceChannel: "exhibition",
    plannedAmount: "300000000", startedOn: "2026-06-01", investor: { newInvestor: { name: P.investor, originRegion: "320000" } },
  });
  await api(staff, "investors.addContact", { investorId: project.investorId, name: P.contactName, title: P.contactTitle, phone: "0411-88886666", email: "" });
  const signed = await api<TId>(staff, "projects.moveStage", { id: project.id, version: project.version, toStage: "signed", toStatus: "active", businessDate: "2026-07-05", signedAmount: "250000000", note: P.moveNote });
  expect(signed.version).toBeGreaterThan(project.version);
  await api(staff, "funds.report", { projectId: project.id, amount: "1000000", arrivedOn: "2026-08-10", evidenceNo: P.evidence, note: P.trancheNote });
  const second = await api<TId>(staff, "funds.report", { projectId: project.id, amount: "2000", arrivedOn: "2026-08-11", evidenceNo: P.evidence2, note: P.trancheNote });
  await api(staff, "activities.add", { projectId: project.id, kind: "visit", occurredOn: "2026-08-12", summary: P.summary, participants: P.participants, nextStep: P.nextStep, nextDueOn: "2026-12-01" });

  const leader = await browser.newPage();
  const leaderDialogs = watch(leader);
  await signIn(leader, DEMO.dalianLeader, null);
  await api(leader, "funds.verify", { id: second.id, version: second.version, decision: "reject", reason: P.reject });

  // the project list
  await staff.goto(`/projects?q=${encodeURIComponent(marker)}`);
  await expect(staff.getByTestId("project-count")).toHaveText("共 1 个项目");
  await expectInert(staff, staffDialogs, "project list");
  await expectLiteral(staff, [P.projectName, P.investor], "project list");

  // the project page: details, notes, timeline, tranches, activities, investor and contacts
  await staff.goto(`/projects/${project.id}`);
  await expect(staff.getByRole("heading", { name: P.projectName })).toBeVisible();
  await expectInert(staff, staffDialogs, "project page");
  await expectLiteral(staff, [P.projectName, P.notes, P.firstNote, P.moveNote, P.investor, P.contactName, P.contactTitle, P.evidence, P.evidence2, P.trancheNote, P.reject, P.summary, P.participants, P.nextStep], "project page");
  expect(await staff.title()).toContain(P.projectName);

  // the edit form holds the values in inputs and textareas
  await staff.goto(`/projects/${project.id}/edit`);
  await expect(staff.getByTestId("field-name")).toHaveValue(P.projectName);
  await expectInert(staff, staffDialogs, "edit page");

  // the verification queue, pending and rejected
  await leader.goto(`/verification?unit=${encodeURIComponent(zone.code)}`);
  await expect(leader.getByTestId("queue-table")).toBeVisible();
  await expectInert(leader, leaderDialogs, "verification queue");
  await expectLiteral(leader, [P.projectName, P.evidence, P.unit], "verification queue");
  await leader.goto(`/verification?status=rejected&unit=${encodeURIComponent(zone.code)}`);
  await expectInert(leader, leaderDialogs, "rejected tranches");
  await expectLiteral(leader, [P.projectName, P.evidence2, P.reject], "rejected tranches");

  // the dashboard's lists (the project is major; its first tranche moved it to funds) and the flags page
  await leader.goto(`/dashboard?${new URLSearchParams({ unit: zone.code, from: "2026-01-01", to: "2026-12-31" })}`);
  await expect(leader.getByTestId("list-major")).toContainText(P.projectName);
  await expectInert(leader, leaderDialogs, "dashboard");
  await expectLiteral(leader, [P.investor, P.unit], "dashboard");
  await leader.goto(`/flags?unit=${encodeURIComponent(zone.code)}&status=open`);
  await expectInert(leader, leaderDialogs, "flags");

  // hovering and focusing what the payloads would have hooked does nothing either
  await staff.goto(`/projects/${project.id}`);
  await staff.getByText("联系人", { exact: false }).first().hover();
  await staff.keyboard.press("Tab");
  await expectInert(staff, staffDialogs, "project page after interaction");
});
