import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "../fixtures";

test("switch between 简体中文 and English; amounts follow", async ({ page }) => {
  await signIn(page, DEMO.provinceLeader);
  await expect(page.getByRole("heading", { name: "招商项目" })).toBeVisible();
  await expect(page.getByTestId("project-table")).toContainText(/亿元|万元/);
  await page.getByTestId("lang-en").click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await expect(page.getByTestId("project-table")).toContainText(/CNY [\d.,]+ (bn|m)/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await page.getByTestId("lang-zh-CN").click();
  await expect(page.getByRole("heading", { name: "招商项目" })).toBeVisible();
});
