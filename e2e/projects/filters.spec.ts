import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "../fixtures";

test("filters live in the URL and survive a reload", async ({ page }) => {
  await signIn(page, DEMO.provinceLeader);
  const all = await page.getByTestId("project-count").textContent();
  await page.getByTestId("filter-stage-signed").click();
  await expect(page).toHaveURL(/stage=signed/);
  await page.getByTestId("filter-capital").selectOption("foreign");
  await expect(page).toHaveURL(/capital=foreign/);
  const filtered = await page.getByTestId("project-count").textContent();
  expect(filtered).not.toBe(all);
  const rows = page.getByTestId("project-table").locator("tbody tr");
  for (const row of await rows.all()) {
    await expect(row).toContainText("签约");
    await expect(row).toContainText("外资");
  }
  await page.reload();
  await expect(page.getByTestId("filter-stage-signed")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("filter-capital")).toHaveValue("foreign");
  await expect(page.getByTestId("project-count")).toHaveText(filtered!);
  await page.getByTestId("clear-filters").click();
  await expect(page.getByTestId("project-count")).toHaveText(all!);
});
