import Decimal from "decimal.js";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { api, businessDates, DEMO, signIn, unique } from "../fixtures";

type TProject = { id: string; version: number; name: string };

// Every date is relative to today in China and stays inside this year (the demo seed locks last
// year's quarters) and never in the future; early in a quarter several dates fall on its first day.
const d = businessDates();
const month = Number(d.today.slice(5, 7));
const quarterStart = `${d.today.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, "0")}-01`;
const quarterEnd = new Date(Date.UTC(Number(d.today.slice(0, 4)), month - ((month - 1) % 3) + 2, 0)).toISOString().slice(0, 10);
/** n days ago, but not before the first day of this quarter */
const inQuarter = (n: number) => [d.daysAgo(n), quarterStart].sort().at(-1)!;

/** A fresh development zone under 大连, so the figures below are exactly what this test created. */
async function zoneWithSignedProjects(browser: Browser, n: number, dates: { startedOn: string; signedOn: string }) {
  const admin = await browser.newPage();
  await signIn(admin, DEMO.admin, null);
  const units = await api<Array<{ id: string; code: string }>>(admin, "units.list", undefined, "query");
  const code = unique("E2E-");
  const zone = await api<{ id: string; code: string }>(admin, "units.create", { code, name: unique("测试园区"), kind: "zone", parentId: units.find((u) => u.code === "210200")!.id });
  await admin.close();

  const staff = await browser.newPage();
  await signIn(staff, DEMO.dalianStaff, null);
  const projects: TProject[] = [];
  for (let i = 0; i < n; i++) {
    const p = await api<TProject>(staff, "projects.create", {
      name: unique(`园区测试项目${i}`), capitalType: "domestic", unitId: zone.id, industry: "new_energy", sourceChannel: "exhibition",
      plannedAmount: "300000000", startedOn: dates.startedOn, investor: { newInvestor: { name: unique(`测试新能源${i}有限公司`), originRegion: "320000" } },
    });
    projects.push(await api<TProject>(staff, "projects.moveStage", { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: dates.signedOn, signedAmount: "250000000" }));
  }
  return { zone, staff, projects };
}

const dashboardUrl = (unit: string, from: string, to: string) => `/dashboard?${new URLSearchParams({ unit, from, to })}`;

test("a leader opens the dashboard for a quarter and sees the figures computed here", async ({ browser }) => {
  // everything inside the current quarter, the period the leader opens
  const { zone, staff, projects } = await zoneWithSignedProjects(browser, 3, { startedOn: inQuarter(20), signedOn: inQuarter(10) });
  const amounts = ["12345678.90", "2000000.10", "5000000.00"];
  const tranches = [];
  for (let i = 0; i < 3; i++) tranches.push(await api<{ id: string; version: number }>(staff, "funds.report", { projectId: projects[i]!.id, amount: amounts[i], arrivedOn: inQuarter(3 - i) }));
  const leader = await browser.newPage();
  await signIn(leader, DEMO.dalianLeader, null);
  for (const tr of tranches.slice(0, 2)) await api(leader, "funds.verify", { id: tr.id, version: tr.version, decision: "verify" });

  // expected, computed independently: only the two verified tranches count
  const funds = new Decimal(amounts[0]!).plus(amounts[1]!);
  const expected = `${funds.div(10_000).toDecimalPlaces(2).toNumber().toLocaleString("en", { minimumFractionDigits: 2 })}万元`;
  await leader.goto(dashboardUrl(zone.code, quarterStart, quarterEnd));
  const card = leader.getByTestId("card-domestic");
  await expect(card.getByTestId("funds")).toHaveText(expected); // 1,434.57万元
  await expect(card.getByTestId("projects")).toContainText("2");
  await expect(leader.getByTestId("signed-count")).toContainText("3");
  await expect(leader.getByTestId("pending-count")).toContainText("1");
  await expect(leader.getByTestId("card-foreign").getByTestId("funds")).toHaveText("0.00万美元");

  // the number opens the projects behind it
  await card.getByTestId("funds").click();
  await expect(leader).toHaveURL(new RegExp(`/projects\\?.*funded=${quarterStart}\\.\\.${quarterEnd}`));
  await expect(leader.getByTestId("project-count")).toHaveText("共 2 个项目");
});

test("staff report a tranche, a different leader verifies it, the dashboard changes accordingly", async ({ browser }) => {
  const { zone, staff, projects } = await zoneWithSignedProjects(browser, 1, { startedOn: d.daysAgo(20), signedOn: d.daysAgo(10) });
  const project = projects[0]!;
  const ytd = dashboardUrl(zone.code, d.yearStart, d.today);
  const arrived = d.daysAgo(2);

  // staff report it on the project page, with a bank receipt
  await staff.goto(`/projects/${project.id}`);
  await staff.getByTestId("report-tranche").click();
  await staff.getByTestId("tranche-amount").fill("888");
  await staff.getByTestId("tranche-date").fill(arrived);
  await staff.getByTestId("tranche-evidence").fill(`YH${arrived.replace(/-/g, "")}001`);
  await staff.getByTestId("tranche-files").setInputFiles({ name: "银行进账单.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n") });
  await staff.getByTestId("tranche-submit").click();
  await expect(staff.getByTestId("tranche-dialog")).toBeHidden();
  await expect(staff.getByTestId("tranche-table")).toContainText("银行进账单.pdf");
  await expect(staff.getByTestId("tranche-status")).toHaveText("待核实");
  await expect(staff.getByTestId("project-badges")).toContainText("资金到位");

  const leader: Page = await browser.newPage();
  await signIn(leader, DEMO.dalianLeader, null);
  await leader.goto(ytd);
  await expect(leader.getByTestId("card-domestic").getByTestId("funds")).toHaveText("0.00万元");
  await expect(leader.getByTestId("pending-count")).toContainText("1");

  await leader.goto("/verification");
  const row = leader.getByTestId("queue-table").locator("tr", { hasText: project.name });
  await row.getByTestId("queue-verify").click();
  await leader.getByTestId("verify-submit").click();
  await expect(leader.getByTestId("queue-table").locator("tr", { hasText: project.name })).toHaveCount(0);

  await leader.goto(ytd);
  await expect(leader.getByTestId("card-domestic").getByTestId("funds")).toHaveText("888.00万元");
  await expect(leader.getByTestId("card-domestic").getByTestId("projects")).toContainText("1");
  await expect(leader.getByTestId("pending-count")).toContainText("0");
});
