import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "../fixtures";

// The security headers on real responses, and the pages still working under the nonce-based CSP
// (proxy.ts): the sign-in form, navigation and dialogs need hydrated React, which needs Next's
// scripts to carry the nonce. Any CSP violation the browser reports fails the test.

async function collectViolations(page: Page) {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...seen, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))];
}

test("pages send CSP with a nonce, no-store and the protective headers; static files and the API too", async ({ page, request }) => {
  const res = (await page.goto("/sign-in"))!;
  const h = res.headers();
  const csp = h["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["cache-control"]).toContain("no-store");
  expect(h["strict-transport-security"]).toBeUndefined(); // plain http here

  // Next put this response's nonce on its scripts
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const nonces = await page.locator("script[nonce]").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(nonces.length).toBeGreaterThan(0);
  expect(new Set(nonces)).toEqual(new Set([nonce]));
  // another response, another nonce
  const again = (await page.goto("/sign-in"))!.headers()["content-security-policy"]!;
  expect(/'nonce-([^']+)'/.exec(again)![1]).not.toBe(nonce);

  // a static file of the build
  const src = await page.locator("script[src*='/_next/static/']").first().getAttribute("src");
  const asset = await request.get(src!);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  expect(asset.headers()["x-frame-options"]).toBe("DENY");

  // a route handler
  const trpc = await request.get("/api/trpc/me.get");
  expect(trpc.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(trpc.headers()["cache-control"]).toContain("no-store");

  // HSTS once a proxy says the request came over HTTPS
  const https = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
});

test("under the CSP the app still hydrates and works, and the browser reports no violation", async ({ page }) => {
  const violations = await collectViolations(page);
  // the sign-in form is a client component: without its script it would submit as a plain GET
  await page.goto("/sign-in");
  await page.getByLabel("邮箱").fill(DEMO.dalianStaff);
  await page.getByLabel("密码").fill("not-the-password-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("邮箱或密码不正确");
  expect(page.url()).not.toContain("password=");

  await signIn(page, DEMO.dalianStaff, "/projects?stage=negotiation&status=active");
  await expect(page.getByTestId("project-table")).toBeVisible();
  // client-side navigation and a dialog
  await page.getByTestId("project-table").locator("tbody tr a").first().click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}/);
  await page.getByTestId("change-stage").click();
  await expect(page.getByTestId("stage-dialog")).toBeVisible();
  await page.getByTestId("stage-cancel").click();
  // the dashboard with its chart
  await page.goto("/dashboard");
  await expect(page.getByTestId("card-domestic")).toBeVisible();
  await page.goto("/verification");
  await expect(page.getByTestId("queue-count")).toBeVisible();
  await page.goto("/no-such-page");
  expect(await violations()).toEqual([]);
});
