import fs from "node:fs";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { businessDates, DEMO, signIn, unique } from "../fixtures";

// signing dates relative to today in China, inside this year (the demo locks last year's quarters)
const d = businessDates();
const signedOn = d.daysAgo(20);
const fixed = d.daysAgo(10).split("-").map(Number).join("/"); // typed the way Excel users do: 2026/6/18

test("upload a file, see the preview, fix the error, import, download the stage report and check it", async ({ page }) => {
  await signIn(page, DEMO.dalianStaff, "/import");
  const prefix = unique("E2E").toUpperCase();
  const header = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,计划投资额(万元),阶段,签约日期,签约金额(万元)";
  const rows = [
    `${prefix}-1,${prefix}海上风电装备项目,内资,大连市,${prefix}风电装备有限公司,江苏,"12,000",签约,${signedOn},11000`,
    `${prefix}-2,${prefix}冷链物流中心项目,内资,大连市,${prefix}冷链物流有限公司,山东,3500.5,洽谈,,`,
    `${prefix}-3,${prefix}生物医药研发项目,内资,大连市,${prefix}生物医药有限公司,北京,8000,签约,2026-13-40,7600`,
  ];
  const file = (lines: string[]) => ({ name: "项目导入.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${[header, ...lines].join("\r\n")}\r\n`) });

  // the limits are stated before anything is uploaded
  await expect(page.getByTestId("import-limits")).toContainText("20 MB");
  await expect(page.getByTestId("import-limits")).toContainText("50,000");
  await page.getByTestId("import-kind-projects").click();
  await page.getByTestId("import-file").setInputFiles(file(rows));
  await expect(page.getByTestId("import-preview")).toBeVisible();
  await expect(page.getByTestId("import-count-errors")).toHaveText("1");
  const errors = page.getByTestId("import-errors");
  await expect(errors).toContainText("4"); // spreadsheet row 4 = the third data row
  await expect(errors).toContainText("签约日期");
  await expect(errors).toContainText("无法识别");
  await expect(page.getByTestId("import-confirm")).toHaveCount(0);

  // fix the date and choose the file again
  rows[2] = rows[2]!.replace("2026-13-40", fixed);
  await page.getByTestId("import-file").setInputFiles(file(rows));
  await expect(page.getByTestId("import-count-errors")).toHaveText("0");
  await expect(page.getByTestId("import-count-new")).toHaveText("3");
  await page.getByTestId("import-confirm").click();
  await expect(page.getByTestId("import-done")).toContainText("新增 3");

  // the stage report of exactly these projects
  await page.goto(`/projects?q=${prefix}`);
  await expect(page.getByTestId("project-count")).toHaveText("共 3 个项目");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-stage-report").click()]);
  expect(download.suggestedFilename()).toMatch(/^项目阶段报表-大连市-\d{8}\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ArrayBuffer);
  expect(wb.worksheets.map((s) => s.name)).toEqual(["汇总", "接触", "洽谈", "签约", "资金到位"]);
  expect(wb.getWorksheet("签约")!.rowCount).toBe(3); // header + 2 signed
  expect(wb.getWorksheet("洽谈")!.rowCount).toBe(2);
  const summary = wb.getWorksheet("汇总")!;
  const total = summary.getRow(summary.rowCount);
  expect(total.getCell(1).value).toBe("合计");
  expect(total.getCell(2).value).toBe(3);
  expect(total.getCell(3).value).toBeCloseTo(12000 + 3500.5 + 8000, 6); // planned, 万元
  expect(total.getCell(5).value).toBeCloseTo(11000 + 7600, 6); // signed, 万元
});

test("the review-meeting print view shows each block's YoY, target, progress and ahead/behind, ranked", async ({ page }) => {
  await signIn(page, DEMO.provinceLeader, "/reports/review?unit=210000&from=2026-01-01&to=2026-03-31");
  const table = page.getByTestId("review-print-page").locator("table");
  for (const block of ["实际到位内资", "省外到位资金", "实际利用外资"]) await expect(table.locator("thead")).toContainText(block);
  await expect(table.locator("thead tr").nth(1).locator("th")).toHaveCount(18);
  const rows = page.getByTestId("review-row");
  await expect(rows.first().locator("td").first()).toHaveText("1");
  await expect(rows.last()).toContainText("合计");
  await expect(rows.first().locator("td")).toHaveCount(20);
});
