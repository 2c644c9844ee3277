import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "../fixtures";

test("staff cannot open another city's project by URL, nor find it in the list", async ({ browser }) => {
  const dalian = await browser.newPage();
  await signIn(dalian, DEMO.dalianStaff);
  const link = dalian.getByTestId("project-table").locator("tbody tr a").first();
  const href = (await link.getAttribute("href"))!;
  const name = (await link.textContent())!;

  const shenyang = await browser.newPage();
  await signIn(shenyang, DEMO.shenyangStaff);
  const res = await shenyang.goto(href);
  expect(res?.status()).toBe(404);
  await expect(shenyang.getByTestId("not-found")).toBeVisible();
  await expect(shenyang.locator("body")).not.toContainText(name);
  await shenyang.goto(`/projects?q=${encodeURIComponent(name)}`);
  await expect(shenyang.getByTestId("project-count")).toHaveText("共 0 个项目");
  await shenyang.goto("/projects?unit=210200");
  await expect(shenyang.getByTestId("project-count")).toHaveText("共 0 个项目");
});
