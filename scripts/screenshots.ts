// Screenshots of the main pages in Chinese and English, for looking at them:
//   BASE_URL=http://localhost:3000 DEMO_PASSWORD=… npx tsx scripts/screenshots.ts [out-dir]
import fs from "node:fs";
import { chromium } from "@playwright/test";

async function main() {
  const base = process.env.BASE_URL ?? "http://localhost:3000";
  const password = process.env.DEMO_PASSWORD ?? "";
  const out = process.argv[2] ?? "screenshots";
  const pages = (process.env.PAGES ?? "/projects,/projects/new,/admin/users,/admin/units").split(",");
  const width = Number(process.env.WIDTH ?? 1440);
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  for (const locale of ["zh-CN", "en"]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale });
    await ctx.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
    const page = await ctx.newPage();
    await page.goto(`${base}/sign-in`);
    await page.screenshot({ path: `${out}/${locale}-sign-in.png` });
    await page.fill("#email", process.env.EMAIL ?? "admin@zs.example");
    await page.fill("#password", password);
    await page.click("button[type=submit]");
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
    for (const p of pages) {
      // "@first:<list url>" opens the first project of that list
      if (p.startsWith("@first:")) {
        await page.goto(`${base}${p.slice(7)}`);
        await page.locator("[data-testid=project-table] tbody tr a").first().click();
        await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
      } else await page.goto(`${base}${p}`);
      await page.waitForLoadState("networkidle");
      const name = p.replace(/[/?=&]+/g, "_").replace(/^_/, "") || "home";
      await page.screenshot({ path: `${out}/${locale}-${name}.png`, fullPage: process.env.FULL === "1" });
    }
    await ctx.close();
  }
  await browser.close();
}
main();
