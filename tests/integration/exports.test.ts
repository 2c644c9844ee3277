// Exports: the stage report (XLSX and CSV), project lists, the review-meeting pack (XLSX, CSV and
// the print view's table), formula neutralisation in every one of them, downloads whose reader
// goes away, and the round trip export → import into a fresh database.
import { PassThrough, Writable } from "node:stream";
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { investors, projects, stageEvents, units, users } from "@/db/schema";
import type { Db } from "@/db/client";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { insertUnit, seedWorld, type TWorld } from "@/db/testing/factories";
import { dec } from "@/lib/money";
import { reviewTable } from "@/lib/review-pack";
import type { TActor } from "@/server/auth/actor";
import { fitWidth } from "@/server/exports/cells";
import { headlineCsv, headlineXlsx } from "@/server/exports/headline-table";
import { writeProjectsCsv, writeProjectsXlsx, writeStageReportCsv } from "@/server/exports/project-export";
import { computeHeadline, type THeadline, type TUnitFigures } from "@/server/figures/headline";
import { importFile } from "@/server/imports/import-file";
import type { TImportKind } from "@/server/imports/columns";
import { collect, utf8 } from "./helpers";

// the route handlers, called as Next calls them: the session and the database are the test's
const route = vi.hoisted(() => ({ db: null as unknown, actor: null as unknown, locale: "zh-CN" as "zh-CN" | "en" }));
vi.mock("@/db", () => ({ getDb: async () => route.db }));
vi.mock("@/server/auth/session", () => ({ getActor: async () => route.actor, getRequestLocale: async () => route.locale }));
vi.mock("next/server", async (original) => ({ ...(await original<typeof import("next/server")>()), connection: async () => {} }));

async function importRows(db: Db, actor: TActor, kind: TImportKind, lines: string[]) {
  const r = await importFile(db, actor, { kind, bytes: utf8(lines.join("\r\n")), dryRun: false });
  expect(r.errors, JSON.stringify(r.errors)).toEqual([]);
  expect(r.applied).toBe(true);
}
async function workbook(buf: Buffer | Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
const allCells = (wb: ExcelJS.Workbook) => {
  const out: ExcelJS.Cell[] = [];
  for (const ws of wb.worksheets) ws.eachRow((r) => r.eachCell((c) => void out.push(c)));
  return out;
};
/** What a spreadsheet would run as a formula: = + @ tab CR, or - not followed by a number. */
const RUNS = /^([=+@\t\r]|-(?!\d+(\.\d+)?$))/;

const PROJECT_HEADER = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,统一社会信用代码,行业,来源渠道,计划投资额(万元),阶段,状态,状态原因,接触日期,洽谈日期,签约日期,签约金额(万元),负责人,备注";
const HYPERLINK = '=HYPERLINK("http://evil","点我")';

describe("exports of projects", () => {
  let t: TTestDb;
  let w: TWorld;
  beforeAll(async () => {
    t = await createTestDb();
    w = await seedWorld(t.db);
    await importRows(t.db, w.actors.dalianStaff, "projects", [
      PROJECT_HEADER,
      `RT-0001,"=HYPERLINK(""http://evil"",""点我"")",内资,大连市,江苏恒通新材料有限公司,江苏,,新材料,展会,800,接触,推进中,,2026-02-03,,,,,`,
      `RT-0002,大连湾海上风电装备制造基地项目,内资,大连市,山东海风重工股份有限公司,山东,91350100M000100Y43,装备制造,以商招商,"12,345.6789",签约,推进中,,2026-01-05,2026/2/10,2026年3月20日,10000.01,staff.dl@test.ln.gov.cn,@SUM(1)`,
      `RT-0003,冷链物流中心,内资,大连市,大连港冷链物流有限公司,大连,,现代物流,对口合作,3500.5,洽谈,暂缓,-等待用地批复,2026-03-01,2026-04-02,,,,`,
      `RT-0004,生物医药研发中心,内资,大连金普新区,北京康瑞生物医药有限公司,北京,,生物医药,展会,8000,洽谈,终止,+资金链断裂,2026-01-10,2026-02-11,,,,`,
      `RT-0005,精细化工新材料项目,内资,大连市,浙江化工新材料集团,浙江,,石化及精细化工,展会,20000,签约,推进中,,2026-01-02,,2026-02-01,18000,,`,
    ]);
    await importRows(t.db, w.actors.dalianStaff, "projects", [
      "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,计划投资额,阶段,接触日期,签约日期,签约金额",
      "RT-0101,日资汽车零部件项目,外资,大连市,日本精密部品株式会社,日本,5000000.55,签约,2026-01-03,2026-03-03,4800000",
    ]);
    await importRows(t.db, w.actors.dalianLeader, "tranches", ["项目编号,到位日期,到位金额(万元),是否核实,凭证号", "RT-0005,2026-05-01,1000,是,RT-YH-1"]);
  });
  afterAll(() => t?.close());

  it("the stage report as CSV: a summary block, then the projects grouped by stage (UTF-8 with BOM)", async () => {
    const buf = await collect((out) => writeStageReportCsv(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out));
    const text = buf.toString("utf8");
    expect(text.startsWith("\uFEFF项目阶段报表 · 大连市\r\n")).toBe(true);
    const rows = parseCsv(text.slice(1), { relax_column_count: true }) as string[][];
    const at = rows.findIndex((r) => r[0] === "阶段" && r[1] === "项目数");
    expect(at).toBeGreaterThan(0);
    expect(rows[at]!.slice(2)).toEqual(["计划投资额（元）", "计划投资额（美元）", "签约额（元）", "签约额（美元）", "已核实到位（元）", "已核实到位（美元）"]);
    const summary = rows.slice(at + 1, at + 6);
    expect(summary.map((r) => [r[0], r[1]])).toEqual([["接触", "1"], ["洽谈", "2"], ["签约", "2"], ["资金到位", "1"], ["合计", "6"]]);
    // exact yuan and dollars, summed as decimals
    const all = await t.db.select().from(projects);
    const sum = (xs: typeof all, pick: (p: (typeof all)[number]) => string | null) => xs.reduce((a, p) => a.plus(pick(p) ?? "0"), dec(0)).toFixed(2);
    const dom = all.filter((p) => p.capitalType === "domestic");
    expect(summary[4]!.slice(2)).toEqual([
      sum(dom, (p) => p.plannedAmount), "5000000.55", sum(dom, (p) => p.signedAmount), "4800000.00", "10000000.00", "0.00",
    ]);
    // each stage: its title, the project header, its projects
    const titles = rows.map((r, i) => [r[0], i] as const).filter(([c]) => /^【.+】\d+ 个项目$/.test(c ?? ""));
    expect(titles.map(([c]) => c)).toEqual(["【接触】1 个项目", "【洽谈】2 个项目", "【签约】2 个项目", "【资金到位】1 个项目"]);
    for (const [title, i] of titles) {
      const header = rows[i + 1]!;
      expect(header[0]).toBe("项目编号");
      const stageCol = header.indexOf("阶段");
      const n = Number(/】(\d+)/.exec(title!)![1]);
      const group = rows.slice(i + 2, i + 2 + n);
      expect(new Set(group.map((r) => r[stageCol]))).toEqual(new Set([/【(.+)】/.exec(title!)![1]]));
    }
    expect(rows.filter((r) => /^RT-/.test(r[0] ?? "")).map((r) => r[0]).sort()).toEqual(["RT-0001", "RT-0002", "RT-0003", "RT-0004", "RT-0005", "RT-0101"]);
    // titled with the report's unit; a unit outside the user's scope is not named (and has no rows)
    const head = async (actor: TActor) => (await collect((out) => writeStageReportCsv(t.db, actor, { unit: "210200" }, "zh-CN", out))).toString("utf8").split("\r\n")[0];
    expect(await head(w.actors.provinceLeader)).toBe("\uFEFF项目阶段报表 · 大连市");
    expect(await head(w.actors.shenyangStaff)).toBe("\uFEFF项目阶段报表 · 沈阳市");
  });

  it("GET /api/export/projects?kind=stage-report&format=csv answers that report, not the plain list", async () => {
    const { GET } = await import("@/app/api/export/projects/route");
    Object.assign(route, { db: t.db, actor: w.actors.dalianLeader, locale: "en" });
    const res = await GET(new Request("http://localhost/api/export/projects?unit=210200&format=csv&kind=stage-report"));
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(decodeURIComponent(res.headers.get("content-disposition")!)).toMatch(/Stage report-大连市-\d{8}\.csv$/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith("\uFEFFStage report · 大连市")).toBe(true);
    expect(text).toContain("Contact: 1 projects");
    expect(text).toContain("Total,6,");
  });

  it("fits the XLSX columns to their content (bounded)", async () => {
    const wb = await workbook(await collect((out) => writeProjectsXlsx(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out, { stageReport: true })));
    const signed = wb.getWorksheet("签约")!;
    const names = ["项目名称", "大连湾海上风电装备制造基地项目", "日资汽车零部件项目"];
    expect(signed.getColumn(2).width).toBe(fitWidth(names));
    expect(signed.getColumn(1).width).toBeLessThan(signed.getColumn(2).width!);
    const contact = wb.getWorksheet("接触")!;
    expect(contact.getColumn(2).width).toBe(fitWidth(["项目名称", `'${HYPERLINK}`]));
    for (const ws of wb.worksheets) ws.columns.forEach((c) => expect(c.width).toBeLessThanOrEqual(50));
  });

  it("neutralises formula-like user text in every export: project list and stage report, XLSX and CSV", async () => {
    const files = {
      listXlsx: await collect((out) => writeProjectsXlsx(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out, { stageReport: false })),
      stageXlsx: await collect((out) => writeProjectsXlsx(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out, { stageReport: true })),
      listCsv: await collect((out) => writeProjectsCsv(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out)),
      stageCsv: await collect((out) => writeStageReportCsv(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out)),
    };
    for (const name of ["listXlsx", "stageXlsx"] as const) {
      const cells = allCells(await workbook(files[name]));
      const texts = cells.map((c) => c.value).filter((v): v is string => typeof v === "string");
      expect(texts, name).toEqual(expect.arrayContaining([`'${HYPERLINK}`, "'@SUM(1)", "'-等待用地批复", "'+资金链断裂"]));
      expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula), name).toEqual([]);
      expect(texts.filter((s) => RUNS.test(s)), name).toEqual([]);
    }
    for (const name of ["listCsv", "stageCsv"] as const) {
      const fields = (parseCsv(files[name].toString("utf8").slice(1), { relax_column_count: true }) as string[][]).flat();
      expect(fields, name).toEqual(expect.arrayContaining([`'${HYPERLINK}`, "'@SUM(1)", "'-等待用地批复", "'+资金链断裂"]));
      expect(fields.filter((s) => RUNS.test(s)), name).toEqual([]);
    }
  });

  it("a download whose reader went away stops instead of waiting for 'drain' forever", async () => {
    // a sink that takes one chunk and never asks for more, then is closed (the browser left)
    const stalled = () => {
      const sink = new Writable({ highWaterMark: 1, write: () => {} });
      setTimeout(() => sink.destroy(), 50);
      return sink;
    };
    const within = <T,>(p: Promise<T>) => Promise.race([p, new Promise<"hung">((r) => setTimeout(() => r("hung"), 10_000))]);
    expect(await within(writeProjectsCsv(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", stalled()))).not.toBe("hung");
    expect(await within(writeStageReportCsv(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", stalled()))).not.toBe("hung");
    expect(await within(writeProjectsXlsx(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", stalled(), { stageReport: true }))).not.toBe("hung");
    // already gone before the first byte
    const closed = new PassThrough();
    closed.destroy();
    expect(await within(writeProjectsCsv(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", closed))).toBe(0);
  });

  describe("round trip: export, then import into a fresh database", () => {
    type TSnapshot = Record<string, Record<string, unknown>>;
    async function snapshot(db: Db): Promise<TSnapshot> {
      const rows = await db
        .select({ p: projects, unitCode: units.code, investor: investors, ownerEmail: users.email })
        .from(projects)
        .innerJoin(units, eq(units.id, projects.unitId))
        .innerJoin(investors, eq(investors.id, projects.investorId))
        .leftJoin(users, eq(users.id, projects.ownerId));
      const events = await db.select().from(stageEvents);
      const out: TSnapshot = {};
      for (const r of rows) {
        const ev = events.filter((e) => e.projectId === r.p.id).map((e) => ({ to: e.toStage, on: e.businessDate }));
        out[r.p.code] = {
          name: r.p.name, capitalType: r.p.capitalType, unit: r.unitCode, investor: r.investor.name, creditCode: r.investor.creditCode,
          originRegion: r.investor.originRegion, originCountry: r.investor.originCountry, industry: r.p.industry, sourceChannel: r.p.sourceChannel,
          plannedAmount: r.p.plannedAmount, stage: r.p.stage === "funds" ? "signed" : r.p.stage, status: r.p.status, statusReason: r.p.statusReason,
          signedOn: r.p.signedOn, signedAmount: r.p.signedAmount, owner: r.ownerEmail, notes: r.p.notes, originClass: r.p.originClass,
          contact: ev.map((e) => e.on).sort()[0], negotiation: ev.filter((e) => e.to === "negotiation").map((e) => e.on).sort()[0] ?? null,
        };
      }
      return out;
    }
    for (const format of ["csv", "xlsx"] as const)
      it(`${format.toUpperCase()}: every field of every project comes back the same`, async () => {
        const file = await collect((out) =>
          format === "csv"
            ? writeProjectsCsv(t.db, w.actors.dalianStaff, { unit: "210200" }, "zh-CN", out)
            : writeProjectsXlsx(t.db, w.actors.dalianStaff, { unit: "210200" }, "zh-CN", out, { stageReport: false }),
        );
        const fresh = await createTestDb();
        try {
          const fw = await seedWorld(fresh.db);
          const r = await importFile(fresh.db, fw.actors.dalianStaff, { kind: "projects", bytes: new Uint8Array(file), dryRun: false });
          expect(r.errors).toEqual([]);
          expect(r.counts).toEqual({ new: 6, updated: 0, unchanged: 0 });
          const [a, b] = [await snapshot(t.db), await snapshot(fresh.db)];
          expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
          for (const code of Object.keys(a)) expect(b[code], code).toEqual(a[code]);
          // and once more: nothing to change
          expect((await importFile(fresh.db, fw.actors.dalianStaff, { kind: "projects", bytes: new Uint8Array(file), dryRun: true })).counts).toEqual({ new: 0, updated: 0, unchanged: 6 });
        } finally {
          await fresh.close();
        }
      });
  });
});

describe("review-meeting pack (调度会材料)", () => {
  let t: TTestDb;
  let w: TWorld;
  let h: THeadline;
  const period = { unit: "210000", from: "2026-01-01", to: "2026-06-30" };
  beforeAll(async () => {
    t = await createTestDb();
    w = await seedWorld(t.db);
    await insertUnit(t.db, "210300", `=cmd|' /C calc'!A0`, "city", w.units.province);
    const header = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,计划投资额,阶段,接触日期,签约日期,签约金额";
    await importRows(t.db, w.actors.admin, "projects", [
      header,
      // beyond 2^53 yuan cents differ where Number() sees a tie: 大连 has one yuan more than 沈阳
      "RP-SY,沈阳大项目,内资,沈阳市,江苏沈阳投资有限公司,江苏,9000000000000000,签约,2026-01-02,2026-01-05,9000000000000000",
      "RP-DL,大连大项目,内资,大连市,江苏大连投资有限公司,江苏,9000000000000000,签约,2026-01-02,2026-01-05,9000000000000000",
      "RP-DD,丹东项目,内资,丹东市,丹东本地投资有限公司,丹东,600000000,签约,2026-01-02,2026-01-05,600000000",
      "RP-AS,鞍山项目,内资,210300,广东鞍山投资有限公司,广东,600000000,签约,2026-01-02,2026-01-05,600000000",
      "RP-DF,丹东外资项目,外资,丹东市,韩国投资株式会社,韩国,20000000,签约,2026-01-02,2026-01-05,20000000",
    ]);
    await importRows(t.db, w.actors.admin, "tranches", [
      "项目编号,到位日期,到位金额,是否核实,凭证号",
      "RP-SY,2026-03-01,9007199254740992.00,是,RP-1",
      "RP-DL,2026-03-01,9007199254740993.00,是,RP-2",
      "RP-DD,2026-04-01,500000000.01,是,RP-3",
      "RP-AS,2026-04-01,500000000.01,是,RP-4",
      "RP-DF,2026-05-01,1234567.89,是,RP-5",
    ]);
    await importRows(t.db, w.actors.admin, "targets", [
      "单位,年度,指标,目标值(亿元)",
      "大连市,2026,实际到位内资,20000000",
      "丹东市,2026,实际到位内资,12",
      "丹东市,2026,省外资金,3",
    ]);
    await importRows(t.db, w.actors.admin, "targets", ["单位,年度,指标,目标值(万美元)", "丹东市,2026,实际利用外资,500"]);
    h = await computeHeadline(t.db, w.actors.provinceLeader, period);
  });
  afterAll(() => t?.close());

  const expectedOrder = ["210200", "210100", "210300", "210600"]; // by domestic funds exactly; 鞍山 and 丹东 tie
  const expectedRanks = [1, 2, 3, 3];

  async function checkXlsx(buf: Uint8Array) {
    const wb = await workbook(buf);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(3).values as unknown[]).slice(1) as string[];
    expect(header.slice(0, 3)).toEqual(["名次", "单位代码", "单位名称"]);
    const col = (label: string) => header.indexOf(label) + 1;
    const lines = [4, 5, 6, 7, 8].map((n) => ws.getRow(n));
    expect(lines.map((r) => r.getCell(2).value)).toEqual([...expectedOrder, "210000"]);
    expect(lines.map((r) => r.getCell(1).value)).toEqual([...expectedRanks, null]);
    const figures = new Map<string, TUnitFigures>([...h.children.map((c) => [c.unit, c] as const), [h.unit, h]]);
    for (const r of lines) {
      const u = figures.get(String(r.getCell(2).value))!;
      // money in 万 (a JS number only in the cell), percentages as fractions
      expect(r.getCell(col("实际到位内资（万元）")).value).toBe(dec(u.domestic.funds).div(10_000).toNumber());
      expect(r.getCell(col("实际利用外资（万美元）")).value).toBe(dec(u.foreign.funds).div(10_000).toNumber());
      expect(r.getCell(col("省外到位资金（万元）")).value).toBe(dec(u.out_of_province.funds).div(10_000).toNumber());
      expect(r.getCell(col("内资项目数")).value).toBe(u.domestic.projects);
      expect(r.getCell(col("内资目标完成率")).value).toBe(u.domestic.target_progress_pct === null ? null : dec(u.domestic.target_progress_pct).div(100).toNumber());
      expect(r.getCell(col("外资超欠进度")).value).toBe(u.foreign.ahead_pct === null ? null : dec(u.foreign.ahead_pct).div(100).toNumber());
    }
    // the total line is the province's own figures, the sum of its children
    const total = lines[4]!;
    expect(dec(h.domestic.funds).eq(h.children.reduce((a, c) => a.plus(c.domestic.funds), dec(0)))).toBe(true);
    expect(total.getCell(col("内资项目数")).value).toBe(4);
    expect(allCells(wb).filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    const evil = allCells(wb).find((c) => typeof c.value === "string" && c.value.includes("calc"));
    expect(evil?.value).toBe(`'=cmd|' /C calc'!A0`);
  }

  it("XLSX: ranks, lines, totals and values are those of the figures service (decimal, not float, ranking)", async () => {
    expect(dec(h.children.find((c) => c.unit === "210200")!.domestic.funds).minus(h.children.find((c) => c.unit === "210100")!.domestic.funds).toFixed(2)).toBe("1.00");
    await checkXlsx(new Uint8Array(await headlineXlsx(h, "zh-CN", { ranked: true })));
  });

  it("GET /api/export/review-pack: the same XLSX; its CSV has the rank column, in rank order, exact amounts", async () => {
    const { GET } = await import("@/app/api/export/review-pack/route");
    Object.assign(route, { db: t.db, actor: w.actors.provinceLeader, locale: "zh-CN" });
    const q = new URLSearchParams(period).toString();
    const res = await GET(new Request(`http://localhost/api/export/review-pack?${q}&format=xlsx`));
    expect(res.status).toBe(200);
    await checkXlsx(new Uint8Array(await res.arrayBuffer()));

    const csvRes = await GET(new Request(`http://localhost/api/export/review-pack?${q}&format=csv`));
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await csvRes.arrayBuffer());
    expect(text.startsWith("\uFEFF名次,单位代码,单位名称,")).toBe(true);
    const rows = parseCsv(text.slice(1)) as string[][];
    const fundsCol = rows[0]!.indexOf("实际到位内资（元）");
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([...expectedOrder.map((u, i) => [String(expectedRanks[i]), u]), ["", "210000"]]);
    expect(rows[1]![fundsCol]).toBe("9007199254740993.00");
    expect(rows[2]![fundsCol]).toBe("9007199254740992.00");
    expect(rows.flat().filter((s) => RUNS.test(s))).toEqual([]);
    expect(headlineCsv(h, "zh-CN")).not.toContain("名次"); // the CLI's report keeps its columns
    // the province is outside a city's staff's scope: as if it did not exist
    Object.assign(route, { actor: w.actors.dalianStaff });
    expect((await GET(new Request(`http://localhost/api/export/review-pack?${q}&format=xlsx`))).status).toBe(404);
  });

  it("the print view's table: ranked children then the total, with out-of-province YoY, target and ahead/behind, and foreign target and ahead/behind", () => {
    const table = reviewTable(h);
    expect(table.map((l) => [l.rank, l.u.unit])).toEqual([...expectedOrder.map((u, i) => [expectedRanks[i], u]), [null, "210000"]]);
    const dandong = table.find((l) => l.u.unit === "210600")!;
    const cell = (block: string, field: string) => dandong.cells.find((c) => c.block === block && c.field === field)!;
    const d = h.children.find((c) => c.unit === "210600")!;
    for (const field of ["projects", "funds", "funds_yoy_pct", "target", "target_progress_pct", "ahead_pct"] as const) {
      expect(cell("out_of_province", field).value).toBe(d.out_of_province[field]);
      expect(cell("foreign", field).value).toBe(d.foreign[field]);
      expect(cell("domestic", field).value).toBe(d.domestic[field]);
    }
    expect(cell("foreign", "target").value).toBe("5000000.00");
    expect(cell("foreign", "ahead_pct").value).not.toBeNull();
    expect(cell("out_of_province", "target").value).toBe("300000000.00");
    expect(cell("foreign", "funds")).toMatchObject({ currency: "USD", kind: "money" });
  });
});
