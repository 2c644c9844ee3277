import { expect, type Page } from "@playwright/test";
import { addDays, daysBetween, todayCN } from "@/lib/dates";
import { E2E_PASSWORD } from "../playwright.config";

export const DEMO = {
  admin: "admin@zs.example",
  provinceLeader: "leader@zs.example",
  dalianLeader: "leader.dl@zs.example",
  shenyangStaff: "staff.sy@zs.example",
  dalianStaff: "staff.dl@zs.example",
} as const;

/** Sign in (landing on the dashboard), then open `then` (the project list by default). */
export async function signIn(page: Page, email: string, then: string | null = "/projects", password = E2E_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole("button", { name: /^(登录|Sign in)$/ }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  if (then) await page.goto(then);
}

/**
 * Business dates for journeys, derived from today in China (Asia/Shanghai): `daysAgo(n)` is n days
 * back but never before 1 January of this year — the demo seed locks the previous year's quarters,
 * so a date there is refused — and never in the future. Early in January several dates collapse
 * onto 1 January; journeys must allow equal dates.
 */
export const businessDates = (now = new Date()) => {
  const today = todayCN(now);
  const yearStart = `${today.slice(0, 4)}-01-01`;
  return {
    today,
    yearStart,
    /** whole days elapsed since 1 January (0 on 1 January) */
    elapsed: daysBetween(yearStart, today),
    daysAgo: (n: number) => {
      const d = addDays(today, -Math.max(0, n));
      return d < yearStart ? yearStart : d;
    },
    /** n days ahead (due dates of next steps, which may lie in the future) */
    daysAhead: (n: number) => addDays(today, n),
  };
};

/** A name nobody else in the run uses. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-5)}`;

/**
 * Call a tRPC procedure from the signed-in page (same cookies, same origin), for seeding a
 * journey's data without clicking through set-up.
 */
export async function api<T = unknown>(page: Page, path: string, input: unknown, kind: "mutation" | "query" = "mutation"): Promise<T> {
  const res = await page.evaluate(
    async ({ path, input, kind }) => {
      const body = JSON.stringify({ json: input });
      const r =
        kind === "query"
          ? await fetch(`/api/trpc/${path}?input=${encodeURIComponent(body)}`)
          : await fetch(`/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
      return { status: r.status, json: await r.json() };
    },
    { path, input, kind },
  );
  if (res.status !== 200) throw new Error(`${path} → ${res.status}: ${JSON.stringify(res.json)}`);
  return (res.json as { result: { data: { json: T } } }).result.data.json;
}
