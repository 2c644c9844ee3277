import { PassThrough } from "node:stream";
import { deflateRawSync, crc32 } from "node:zlib";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { auditLog, projects, targets, tranches, units } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { writeProjectsCsv, writeProjectsXlsx } from "@/server/exports/project-export";
import { computeHeadline } from "@/server/figures/headline";
import { importFile } from "@/server/imports/import-file";
import { callerFor } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const utf8 = (s: string) => new TextEncoder().encode(s);
async function collect(fill: (out: PassThrough) => Promise<unknown>) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => out.on("end", r));
  await fill(out);
  await ended;
  return Buffer.concat(chunks);
}
const imp = (actor: TActor, kind: "units" | "projects" | "tranches" | "targets", bytes: Uint8Array, dryRun = false) => importFile(t.db, actor, { kind, bytes, dryRun });
const rowCount = async (table: typeof projects | typeof tranches | typeof auditLog) => (await t.db.select({ n: count() }).from(table))[0]!.n;

const PROJECTS_CSV = [
  "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,统一社会信用代码,行业,来源渠道,计划投资额(万元),阶段,状态,接触日期,洽谈日期,签约日期,签约金额(万元),负责人",
  "IMP-0001,大连湾氢能装备产业园项目,内资,大连市,江苏氢动力科技有限公司,江苏,91350100M000100Y43,新能源,展会,\"35,000\",签约,推进中,2026-01-05,2026/2/10,2026年3月20日,32000,staff.dl@test.ln.gov.cn",
  "IMP-0002,金普新区智能传感器项目,内资,大连金普新区,深圳传感科技有限公司,广东,,电子信息,以商招商,8800.5,洽谈,推进中,2026-04-01,2026-05-06,,,",
  "IMP-0003,长兴岛冷链物流中心,内资,大连市,大连港冷链物流有限公司,大连,,现代物流,对口合作,12000,接触,暂缓,2026-06-01,,,,",
].join("\r\n");

describe("import", () => {
  it("imports a CSV, previews first, writes all at once, and re-importing changes nothing", async () => {
    const bad = PROJECTS_CSV.replace("暂缓,2026-06-01", "暂缓,2026-06-01"); // on hold needs no reason
    const preview = await imp(w.actors.dalianStaff, "projects", utf8(bad), true);
    expect(preview.errors).toEqual([]);
    expect(preview.counts).toEqual({ new: 3, updated: 0, unchanged: 0 });
    expect(await rowCount(projects)).toBe(0);

    const done = await imp(w.actors.dalianStaff, "projects", utf8(bad));
    expect(done.applied).toBe(true);
    const [p1] = await t.db.select().from(projects).where(eq(projects.code, "IMP-0001"));
    expect(p1).toMatchObject({ stage: "signed", signedOn: "2026-03-20", plannedAmount: "350000000.00", signedAmount: "320000000.00", originClass: "out_of_province" });
    const api = callerFor(t.db, w.actors.dalianStaff);
    const detail = await api.projects.get({ id: p1!.id });
    expect(detail.events.map((e) => [e.toStage, e.businessDate])).toEqual([["signed", "2026-03-20"], ["negotiation", "2026-02-10"], ["contact", "2026-01-05"]]);
    const again = await imp(w.actors.dalianStaff, "projects", utf8(bad));
    expect(again.counts).toEqual({ new: 0, updated: 0, unchanged: 3 });
  });

  it("reads GBK/GB18030 CSV as Chinese Excel writes it", async () => {
    const gbk = iconv.encode(PROJECTS_CSV.replaceAll("IMP-000", "GBK-000"), "gbk");
    const r = await imp(w.actors.dalianStaff, "projects", new Uint8Array(gbk));
    expect(r.encoding).toBe("GB18030");
    expect(r.errors).toEqual([]);
    expect(r.counts.new).toBe(3);
  });

  it("reads XLSX with Excel serial dates and unit-suffixed headers (亿元), scaling exactly", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("说明");
    ws.addRow(["这是说明页"]);
    const data = wb.addWorksheet("项目表");
    data.addRow(["编号", "项目名称", "内外资", "责任单位", "投资方", "投资方来源地", "计划投资额(亿元)", "阶段", "签约日期", "签约金额(亿元)"]);
    data.addRow(["XLS-0001", "盘锦精细化工新材料项目", "内资", "大连市", "浙江化工新材料集团", "浙江", 12.3456, "签约", 45000, 12.3]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const first = await importFile(t.db, w.actors.dalianStaff, { kind: "projects", bytes, dryRun: true });
    expect(first.sheets).toEqual(["说明", "项目表"]);
    expect(first.errors[0]!.message.key).toBe("errors.import.missingColumn");
    const r = await importFile(t.db, w.actors.dalianStaff, { kind: "projects", bytes, sheet: "项目表", dryRun: false });
    expect(r.errors).toEqual([]);
    const [p] = await t.db.select().from(projects).where(eq(projects.code, "XLS-0001"));
    expect(p).toMatchObject({ plannedAmount: "1234560000.00", signedAmount: "1230000000.00", signedOn: "2023-03-15" });
  });

  it("refuses the whole file when one row is bad, naming the row and column; nothing is written", async () => {
    const before = [await rowCount(projects), await rowCount(auditLog)];
    const csv = `${PROJECTS_CSV.replaceAll("IMP-000", "BAD-000")}\r\nBAD-0004,坏数据项目,内资,大连市,某公司,江苏,,,,12.3456789,签约,推进中,2026-01-01,,2026-13-01,,`;
    const r = await imp(w.actors.dalianStaff, "projects", utf8(csv));
    expect(r.applied).toBe(false);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual(
      expect.arrayContaining([
        [5, "计划投资额(万元)", "errors.import.amountPrecision"],
        [5, "签约日期", "errors.import.date"],
      ]),
    );
    expect(r.errors.every((e) => e.row === 5)).toBe(true);
    // one error per problem: the amount, the date, the missing signed amount (not also "needs a date")
    expect(r.errors.map((e) => e.message.key).sort()).toEqual(["errors.import.amountPrecision", "errors.import.date", "errors.stage.signedAmountRequired"]);
    expect([await rowCount(projects), await rowCount(auditLog)]).toEqual(before);
  });

  it("refuses a currency that does not match the project (内资/外资 sheets apart), and an unknown unit in a header", async () => {
    const csv = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,计划投资额(万美元)\r\nCUR-0001,外币写错的内资项目,内资,大连市,某投资公司,江苏,100";
    const r = await imp(w.actors.dalianStaff, "projects", utf8(csv), true);
    expect(r.errors.map((e) => e.message.key)).toEqual(["errors.import.currencyMismatch"]);
  });

  it("keeps staff inside their scope", async () => {
    const r = await imp(w.actors.shenyangStaff, "projects", utf8(PROJECTS_CSV.replaceAll("IMP-000", "SY-000")), true);
    expect(r.errors.filter((e) => e.message.key === "errors.import.unitScope").map((e) => e.row)).toEqual([2, 3, 4]);
    const tr = await imp(w.actors.shenyangStaff, "tranches", utf8("项目编号,到位日期,到位金额\r\nIMP-0001,2026-04-01,100"), true);
    expect(tr.errors.map((e) => e.message.key)).toEqual(["errors.import.projectScope"]);
    await expect(imp(w.actors.dalianLeader, "projects", utf8(PROJECTS_CSV), true)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(imp(w.actors.dalianStaff, "units", utf8("code,name,parent_code\r\nX-1,某园区,210200"), true)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("imports tranches; verified = yes is recorded as verified by the importing leader, and the figures reproduce the sheet", async () => {
    const csv = [
      "项目编号,到位日期,到位金额(万元),是否核实,凭证号,备注",
      "IMP-0001,2026-04-10,\"1,000\",是,YH-IMP-1,首笔",
      "IMP-0001,2026-05-12,2500.5,是,YH-IMP-2,",
      "IMP-0001,2026-06-01,300,否,,待核实的一笔",
    ].join("\r\n");
    const staffTry = await imp(w.actors.dalianStaff, "tranches", utf8(csv), true);
    expect(staffTry.errors.map((e) => [e.row, e.message.key])).toEqual([[2, "errors.import.verifyRole"], [3, "errors.import.verifyRole"]]);
    const r = await imp(w.actors.dalianLeader, "tranches", utf8(csv));
    expect(r.counts).toEqual({ new: 3, updated: 0, unchanged: 0 });
    const [p] = await t.db.select().from(projects).where(eq(projects.code, "IMP-0001"));
    expect(p!.stage).toBe("funds");
    const rows = await t.db.select().from(tranches).where(eq(tranches.projectId, p!.id));
    expect(rows.filter((x) => x.status === "verified").every((x) => x.verifiedBy === w.actors.dalianLeader.id)).toBe(true);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "tranche.import_verified"));
    expect(audit).toHaveLength(2);
    const h = await computeHeadline(t.db, w.actors.dalianLeader, { unit: "210200", from: "2026-04-01", to: "2026-06-30" });
    expect(h.domestic.funds).toBe("35005000.00");
    expect(h.pending.tranches).toBe(1);
    expect((await imp(w.actors.dalianLeader, "tranches", utf8(csv))).counts).toEqual({ new: 0, updated: 0, unchanged: 3 });
  });

  it("imports units (admin) and targets (leader), idempotently", async () => {
    const u = await imp(w.actors.admin, "units", utf8("单位代码,单位名称,上级代码\r\n210600-GX1,丹东高新区一园,210600-GX\r\n210600-GX,丹东高新区,210600"));
    expect(u.counts.new).toBe(2);
    const [row] = await t.db.select().from(units).where(eq(units.code, "210600-GX1"));
    expect(row!.path).toBe("210000/210600/210600-GX/210600-GX1/");
    expect((await imp(w.actors.admin, "units", utf8("code,name,parent_code\r\n210600-GX,丹东高新区,210600"))).counts.unchanged).toBe(1);
    const tg = await imp(w.actors.dalianLeader, "targets", utf8("单位,年度,指标,目标值(亿元)\r\n大连市,2026,实际到位内资,240.4\r\n大连市,2026,签约项目,120\r\n大连市,2026,实际利用外资,3"));
    expect(tg.errors.map((e) => e.message.key)).toEqual(["errors.import.currencyMismatch"]);
    const ok = await imp(w.actors.dalianLeader, "targets", utf8("单位,年度,指标,目标值(亿元)\r\n大连市,2026,实际到位内资,240.4\r\n大连市,2026,签约项目,120"));
    expect(ok.counts.new).toBe(2);
    const rows = await t.db.select().from(targets).where(eq(targets.unitId, w.units.dalian.id));
    expect(rows.map((r) => r.value).sort()).toEqual(["120.00", "24040000000.00"]);
  });

  it("refuses a zip bomb before expanding it", async () => {
    const body = deflateRawSync(Buffer.alloc(40 * 1024 * 1024)); // 40 MB of zeros → ~40 KB
    const name = Buffer.from("xl/worksheets/sheet1.xml");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(Buffer.alloc(40 * 1024 * 1024)), 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(40 * 1024 * 1024, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(local.readUInt32LE(14), 16); central.writeUInt32LE(body.length, 20); central.writeUInt32LE(40 * 1024 * 1024, 24); central.writeUInt16LE(name.length, 28);
    const cdOffset = local.length + name.length + body.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10); end.writeUInt32LE(central.length + name.length, 12); end.writeUInt32LE(cdOffset, 16);
    const zip = Buffer.concat([local, name, body, central, name, end]);
    await expect(imp(w.actors.dalianStaff, "projects", new Uint8Array(zip), true)).rejects.toMatchObject({ msg: { key: "errors.import.zipBomb" } });
  });
});

describe("export", () => {
  it("round trip: the CSV and XLSX exports import back unchanged", async () => {
    await makeProject(t.db, w.actors.dalianStaff, { name: "=HYPERLINK(\"http://evil\",\"点我\")", notes: "@SUM(1)" });
    const csv = await collect((out) => writeProjectsCsv(t.db, w.actors.dalianStaff, { unit: "210200" }, "zh-CN", out));
    const text = csv.toString("utf8");
    expect(text.startsWith("\uFEFF项目编号,项目名称")).toBe(true);
    expect(text).toContain(`'=HYPERLINK`);
    const back = await imp(w.actors.dalianStaff, "projects", new Uint8Array(csv), true);
    expect(back.errors).toEqual([]);
    expect(back.counts).toMatchObject({ new: 0, updated: 0 }); // the neutralising apostrophe is undone on the way back
    const xlsx = await collect((out) => writeProjectsXlsx(t.db, w.actors.dalianStaff, { unit: "210200", q: "IMP" }, "zh-CN", out, { stageReport: false }));
    const backX = await imp(w.actors.dalianStaff, "projects", new Uint8Array(xlsx), true);
    expect(backX.errors).toEqual([]);
    expect(backX.counts).toMatchObject({ new: 0, updated: 0 });
    expect(backX.counts.unchanged).toBeGreaterThan(0);
  });

  it("the stage report has a summary and one sheet per stage, amounts in 万 with their currency, no formula from user data", async () => {
    const buf = await collect((out) => writeProjectsXlsx(t.db, w.actors.dalianLeader, { unit: "210200" }, "zh-CN", out, { stageReport: true }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["汇总", "接触", "洽谈", "签约", "资金到位"]);
    const all = await callerFor(t.db, w.actors.dalianLeader).projects.list({ unit: "210200", pageSize: 200 });
    const perSheet = wb.worksheets.slice(1).reduce((n, s) => n + s.rowCount - 1, 0);
    expect(perSheet).toBe(all.total);
    const summary = wb.getWorksheet("汇总")!;
    const totalRow = summary.getRow(summary.rowCount);
    expect(totalRow.getCell(2).value).toBe(all.total);
    const funds = wb.getWorksheet("资金到位")!;
    expect(funds.getRow(1).getCell(1).value).toBe("项目编号");
    expect(String(funds.getRow(2).getCell(10).numFmt)).toContain("万元");
    for (const s of wb.worksheets) s.eachRow((r) => r.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it("staff export only their scope", async () => {
    await makeProject(t.db, w.actors.shenyangStaff, { name: "沈阳自己的项目" });
    const csv = (await collect((out) => writeProjectsCsv(t.db, w.actors.shenyangStaff, {}, "zh-CN", out))).toString("utf8");
    expect(csv).toContain("沈阳自己的项目");
    expect(csv).not.toContain("大连");
    const other = (await collect((out) => writeProjectsCsv(t.db, w.actors.shenyangStaff, { unit: "210200" }, "zh-CN", out))).toString("utf8");
    expect(other.trim().split("\r\n")).toHaveLength(1); // header only
  });
});
