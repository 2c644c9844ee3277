import { expect, test } from "@playwright/test";
import { api, businessDates, DEMO, signIn, unique } from "../fixtures";

type TProject = { id: string; version: number; name: string };

// Every date comes from today in China and stays inside the current year (the demo seed locks the
// previous year's quarters) and never in the future: on 2 January most of them are 1 January.
const d = businessDates();

async function newProject(page: import("@playwright/test").Page, name: string, over: Record<string, unknown> = {}) {
  const units = await api<Array<{ id: string; code: string }>>(page, "units.list", undefined, "query");
  return api<TProject>(page, "projects.create", {
    name, capitalType: "domestic", unitId: units.find((u) => u.code === "210200")!.id, industry: "new_energy", sourceChannel: "exhibition",
    plannedAmount: "150000000", startedOn: d.daysAgo(30), investor: { newInvestor: { name: unique("看板测试投资有限公司"), originRegion: "330000" } }, ...over,
  });
}

test("drag a card to signed, fill the dialog, see the column totals change", async ({ page }) => {
  await signIn(page, DEMO.dalianStaff, null);
  const name = unique("看板拖动测试项目");
  const p = await newProject(page, name, { stage: "negotiation" });
  await page.goto(`/pipeline?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId("column-count-negotiation")).toHaveText("1");
  await expect(page.getByTestId("column-count-signed")).toHaveText("0");
  await expect(page.getByRole("region", { name: "签约", exact: true })).toBeVisible(); // columns are named in the user's language

  // drag the card by its handle onto the "signed" column
  const card = page.getByTestId("board-card").filter({ hasText: name });
  const handle = card.getByRole("button", { name: new RegExp(`拖动 ${name}`) });
  const target = page.getByTestId("column-signed");
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y + 10, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 15 });
  await page.mouse.up();

  const dialog = page.getByTestId("stage-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("to-stage-signed")).toBeChecked();
  await page.getByTestId("signed-amount").fill("12000");
  await page.getByTestId("move-note").fill("看板拖动签约");
  await page.getByTestId("stage-submit").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("column-count-signed")).toHaveText("1");
  await expect(page.getByTestId("column-count-negotiation")).toHaveText("0");
  await expect(page.getByTestId("column-signed-signed")).toContainText("1.20亿元");

  // the "move to" menu: arrow keys only move between stages, nothing happens until Enter
  const menu = card.getByTestId("card-move");
  await menu.focus();
  await page.keyboard.press("ArrowDown");
  await expect(card.getByRole("menu")).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(dialog).toBeHidden();
  await page.keyboard.press("Escape");
  await expect(card.getByRole("menu")).toBeHidden();
  await expect(menu).toBeFocused();

  // a move to "funds" is refused with the reason, and cancelling leaves the card in place
  await menu.click();
  await card.getByTestId("card-move-funds").click();
  await expect(page.getByTestId("board-notice")).toContainText("到位资金");
  await menu.click();
  await card.getByTestId("card-move-contact").focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await page.getByTestId("stage-cancel").click();
  await expect(page.getByTestId("column-count-signed")).toHaveText("1");
  expect(p.id).toBeTruthy();
});

test("add an activity with a next step and see it in my follow-ups", async ({ page }) => {
  await signIn(page, DEMO.dalianStaff, null);
  const me = await api<{ id: string }>(page, "me.get", undefined, "query");
  const p = await newProject(page, unique("跟进测试项目"), { ownerId: me.id });
  await page.goto(`/projects/${p.id}`);
  await page.getByTestId("add-activity").click();
  await page.getByTestId("activity-kind").selectOption("meeting");
  await page.getByTestId("activity-summary").fill("与投资方会谈，确认二期用地需求");
  const step = unique("报送用地需求材料");
  await page.getByTestId("activity-next").fill(step);
  await page.getByTestId("activity-due").fill(d.daysAhead(3));
  await page.getByTestId("activity-submit").click();
  await expect(page.getByTestId("activity-dialog")).toBeHidden();
  await expect(page.getByTestId("activities-card")).toContainText(step);

  await page.goto("/follow-ups");
  const item = page.getByTestId("follow-up-step").filter({ hasText: step });
  await expect(item).toBeVisible();
  await item.getByTestId("step-done").click();
  await expect(page.getByTestId("follow-up-step").filter({ hasText: step })).toHaveCount(0);
});

test("a backdated tranche shows its integrity flag and links to its row", async ({ page, browser }) => {
  test.skip(d.elapsed === 0, "on 1 January no business date of this year lies before today");
  // 75 days late when the year allows it; early in the year as late as the year allows, with the
  // threshold lowered below that for the test (and put back after)
  const lateBy = Math.min(75, d.elapsed);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, DEMO.admin, null);
  const backdate = (await api<Array<{ key: string; value: number; version: number | null }>>(admin, "settings.list", undefined, "query")).find((s) => s.key === "backdateDays")!;
  const lower = lateBy <= backdate.value;
  if (lower) await api(admin, "settings.set", { key: "backdateDays", value: String(lateBy - 1) });
  try {
    await signIn(page, DEMO.dalianStaff, null);
    const p = await newProject(page, unique("补报测试项目"), { startedOn: d.daysAgo(lateBy + 5) });
    const signed = await api<TProject>(page, "projects.moveStage", { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: d.daysAgo(lateBy), signedAmount: "100000000" });
    const tranche = await api<{ id: string }>(page, "funds.report", { projectId: signed.id, amount: "6000000", arrivedOn: d.daysAgo(lateBy), evidenceNo: unique("YH-BACK-") });
    await page.goto(`/projects/${p.id}`);
    const flags = page.getByTestId("project-flags");
    const flag = flags.locator('[data-flag-rule="backdated"]');
    await expect(flag).toBeVisible();
    await expect(flag.getByTestId("flag-explain").first()).toContainText(`${lateBy} 天`);
    // the flag links to the exact tranche row
    await flag.getByTestId("flag-row-link").click();
    await expect(page).toHaveURL(new RegExp(`#tranche-${tranche.id}$`));
    await expect(page.locator(`[id="tranche-${tranche.id}"]`)).toBeInViewport();
  } finally {
    if (lower) await api(admin, "settings.set", { key: "backdateDays", value: String(backdate.value) });
    await admin.context().close();
  }
});
