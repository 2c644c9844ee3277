import { expect, test } from "@playwright/test";
import { DEMO, signIn, unique } from "../fixtures";

test("staff create a project with a new investor and move it to signed", async ({ page }) => {
  await signIn(page, DEMO.dalianStaff);
  await page.getByTestId("new-project").click();
  const name = unique("大连湾氢能装备产业园项目");
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("field-planned").fill("35000");
  await page.getByTestId("field-investor-name").fill(unique("苏州远航氢能科技有限公司"));
  await page.getByTestId("field-credit-code").fill("91440300708461136X");
  await expect(page.getByTestId("error-investor.creditCode")).toContainText("校验位");
  await page.getByTestId("field-credit-code").fill("");
  await page.getByTestId("field-origin-province").selectOption("320000");
  await page.getByTestId("save-project").click();

  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("project-badges")).toContainText("接触");
  await expect(page.getByTestId("project-badges")).toContainText("省外");

  // negotiation
  await page.getByTestId("change-stage").click();
  await page.getByTestId("to-stage-negotiation").check({ force: true });
  await page.getByTestId("move-note").fill("第二轮洽谈，投资方确认选址");
  await page.getByTestId("stage-submit").click();
  await expect(page.getByTestId("stage-dialog")).toBeHidden();
  await expect(page.getByTestId("project-badges")).toContainText("洽谈");

  // signed needs the amount; funds cannot be chosen
  await page.getByTestId("change-stage").click();
  await expect(page.getByTestId("to-stage-funds")).toBeDisabled();
  await page.getByTestId("to-stage-signed").check({ force: true });
  await page.getByTestId("stage-submit").click();
  await expect(page.getByTestId("stage-dialog")).toContainText("签约金额");
  await page.getByTestId("signed-amount").fill("32000");
  await page.getByTestId("stage-submit").click();
  await expect(page.getByTestId("stage-dialog")).toBeHidden();

  await expect(page.getByTestId("project-badges")).toContainText("签约");
  const timeline = page.getByTestId("stage-timeline");
  await expect(timeline.locator("li")).toHaveCount(3);
  await expect(timeline).toContainText("3.20亿元");
  await expect(timeline).toContainText("第二轮洽谈，投资方确认选址");
  await expect(timeline).toContainText("刘丽娜");

  // the list finds it by name
  await page.goto(`/projects?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId("project-count")).toHaveText("共 1 个项目");
});

test("moving back needs a reason; cancelling changes nothing", async ({ page }) => {
  await signIn(page, DEMO.dalianStaff);
  await page.goto("/projects?stage=negotiation&status=active");
  await page.getByTestId("project-table").locator("tbody tr a").first().click();
  await page.getByTestId("change-stage").click();
  await page.getByTestId("to-stage-contact").check({ force: true });
  await page.getByTestId("stage-submit").click();
  await expect(page.getByTestId("error-reason")).toBeVisible();
  await page.getByTestId("stage-cancel").click();
  await expect(page.getByTestId("project-badges")).toContainText("洽谈");
});
