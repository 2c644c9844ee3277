import { expect, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "../playwright.config";

export const DEMO = {
  admin: "admin@zs.example",
  provinceLeader: "leader@zs.example",
  dalianLeader: "leader.dl@zs.example",
  shenyangStaff: "staff.sy@zs.example",
  dalianStaff: "staff.dl@zs.example",
} as const;

export async function signIn(page: Page, email: string, password = E2E_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page).toHaveURL(/\/projects/);
}

/** A name nobody else in the run uses. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}`;
