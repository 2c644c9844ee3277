import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "../fixtures";

test("wrong credentials get one generic message, whatever was wrong", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("邮箱").fill(DEMO.dalianStaff);
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  const error = page.getByTestId("sign-in-error");
  await expect(error).toHaveText("邮箱或密码不正确");

  await page.getByLabel("邮箱").fill("nobody@zs.example");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(error).toHaveText("邮箱或密码不正确");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign in, see the user's scope, sign out", async ({ page }) => {
  await signIn(page, DEMO.dalianStaff);
  await expect(page.getByTestId("current-user")).toHaveText("刘丽娜");
  await expect(page.getByText("范围：大连市及下级单位")).toBeVisible();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/projects");
  await expect(page).toHaveURL(/\/sign-in/);
});
