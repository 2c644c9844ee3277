import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import { deflateRawSync, crc32 } from "node:zlib";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { auditLog, investors, projects, stageEvents, targets, tranches, units } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { writeProjectsCsv, writeProjectsXlsx } from "@/server/exports/project-export";
import { computeHeadline } from "@/server/figures/headline";
import { importFile } from "@/server/imports/import-file";
import { MAX_COLUMNS, readTable } from "@/server/imports/read-table";
import { IMPORT_LIMITS } from "@/lib/import-columns";
import { dec } from "@/lib/money";
import { systemNoteKey } from "@/lib/event-note";
import { translate } from "@/server/lib/i18n";
import { deleteProject } from "@/server/projects/update-project";
import { lockPeriod } from "@/server/locks/lock-period";
import { cliActor } from "@/cli/run";
import { callerFor, collect, utf8 } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

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
    const zeros = Buffer.alloc(40 * 1024 * 1024); // 40 MB of zeros → ~40 KB
    const zip = zipOf([{ name: "xl/worksheets/sheet1.xml", data: zeros }]);
    await expect(imp(w.actors.dalianStaff, "projects", new Uint8Array(zip), true)).rejects.toMatchObject({ msg: { key: "errors.import.zipBomb" } });
  });

  it("refuses a zip bomb whose headers lie about its size, while expanding it (never past the cap)", async () => {
    // regression: the guard summed the sizes the entries CLAIM; these claim 1 KB and expand to 40 MB
    const zeros = Buffer.alloc(40 * 1024 * 1024);
    const zip = zipOf([
      { name: "xl/workbook.xml", data: Buffer.from("<workbook/>"), claim: 11 },
      { name: "xl/worksheets/sheet1.xml", data: zeros, claim: 1024 },
    ]);
    await expect(imp(w.actors.dalianStaff, "projects", new Uint8Array(zip), true)).rejects.toMatchObject({ msg: { key: "errors.import.zipBomb" } });
  });
});

/** A zip of deflated entries; `claim` is the uncompressed size the headers state (default: the truth). */
function zipOf(entries: Array<{ name: string; data: Buffer; claim?: number }>) {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.claim ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20); central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const TRANCHE_HEADER = "项目编号,到位日期,到位金额(万元),是否核实,凭证号,备注";

describe("import: reading large and untidy files", () => {
  it("reads an XLSX row by row and stops at the row limit; a missing sheet is named", { timeout: 60_000 }, async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
    const notes = wb.addWorksheet("说明");
    notes.addRow(["请在第二张表填写"]).commit();
    notes.commit();
    const ws = wb.addWorksheet("到位资金");
    ws.addRow(["项目编号", "到位日期", "到位金额"]).commit();
    for (let i = 0; i <= IMPORT_LIMITS.maxRows; i++) ws.addRow([`ROW-${i}`, "2026-04-01", 100]).commit();
    ws.commit();
    await wb.commit();
    const bytes = new Uint8Array(Buffer.concat(chunks));
    await expect(importFile(t.db, w.actors.dalianLeader, { kind: "tranches", bytes, sheet: "到位资金", dryRun: true })).rejects.toMatchObject({
      msg: { key: "errors.import.tooManyRows", values: { max: IMPORT_LIMITS.maxRows } },
    });
    await expect(importFile(t.db, w.actors.dalianLeader, { kind: "tranches", bytes, sheet: "不存在的表", dryRun: true })).rejects.toMatchObject({
      msg: { key: "errors.import.noSheet", values: { sheet: "不存在的表" } },
    });
    // the first sheet by default, its name in the result, every sheet listed for the picker
    const first = await importFile(t.db, w.actors.dalianLeader, { kind: "tranches", bytes, dryRun: true });
    expect(first).toMatchObject({ sheet: "说明", sheets: ["说明", "到位资金"] });
    expect(first.errors.map((e) => e.message.key)).toEqual(["errors.import.missingColumn", "errors.import.missingColumn", "errors.import.missingColumn"]);
  });

  it("reads at most MAX_COLUMNS cells per row, however far right a cell sits", async () => {
    // regression: one cell in column XFD made every row 16,384 cells wide (a 20 KB file took GBs)
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("到位资金");
    ws.addRow(["项目编号", "到位日期", "到位金额"]);
    for (let i = 0; i < 200; i++) ws.addRow([`WIDE-${i}`, "2026-04-01", 100]);
    ws.getCell("XFD2").value = "远处的单元格";
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const table = await readTable(bytes);
    expect(table.rows).toHaveLength(201);
    expect(Math.max(...table.rows.map((r) => r.cells.length))).toBeLessThanOrEqual(MAX_COLUMNS);
    expect(table.rows[1]!.cells.slice(0, 3)).toEqual(["WIDE-0", "2026-04-01", "100"]);
    const csv = await readTable(utf8(`项目编号,到位日期,到位金额${",".repeat(20_000)}x\r\nWIDE-1,2026-04-01,100`));
    expect(csv.rows.map((r) => r.cells.length)).toEqual([MAX_COLUMNS, 3]);
  });

  it("finds the header below a title row, and numbers rows as the spreadsheet does", async () => {
    const csv = ["2026年第二季度到位资金明细表,,,,,", "填报单位：大连市,,,,,", TRANCHE_HEADER, "NOPE-0001,2026-04-10,100,否,,"].join("\r\n");
    const r = await imp(w.actors.dalianLeader, "tranches", utf8(csv), true);
    expect(r.headerRow).toBe(3);
    expect(r.totalRows).toBe(1);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual([[4, "项目编号", "errors.import.projectScope"]]);
  });

  it("reports progress while reading and checking a large file, not only at 0 % and 100 %", async () => {
    const lines = [TRANCHE_HEADER, ...Array.from({ length: 4500 }, (_, i) => `PROG-${i},2026-04-10,100,否,,`)];
    const seen: Array<{ phase: string; done: number; total: number }> = [];
    await importFile(t.db, w.actors.dalianLeader, { kind: "tranches", bytes: utf8(lines.join("\r\n")), dryRun: true, onProgress: (p) => void seen.push(p) });
    const between = (phase: string) => seen.filter((p) => p.phase === phase && p.done > 0 && p.done < p.total);
    expect(between("read").length).toBeGreaterThanOrEqual(2);
    expect(between("validate").map((p) => p.done)).toEqual(expect.arrayContaining([500, 1000, 4000]));
  });
});

describe("import: uploads above Next's default proxy body limit", () => {
  // proxy.ts runs for /api/import (it sets the security headers there too), and Next 16 hands a
  // route behind the proxy only the first experimental.proxyClientMaxBodySize bytes of the body
  // (10 MB by default: next/dist/server/body-streams.js), silently. The import page allows 20 MB.
  it("an 11 MB upload reaches the route handler whole through Next's own body cloning", async () => {
    const config = ((await import("@/next.config.js")) as { default: { experimental?: { proxyClientMaxBodySize?: string | number } } }).default;
    // the parser Next normalises the option with (next/dist/server/config.js)
    const bytes = createRequire(import.meta.url)("next/dist/compiled/bytes") as { parse: (v: string | number) => number };
    const limit = bytes.parse(config.experimental?.proxyClientMaxBodySize ?? "10mb");
    expect(limit).toBeGreaterThanOrEqual(IMPORT_LIMITS.maxBytes + 64 * 1024); // the file plus its multipart envelope

    const { getCloneableBody } = (await import("next/dist/server/body-streams.js")) as unknown as {
      getCloneableBody: (r: NodeJS.ReadableStream, limit?: number) => { cloneBodyStream: () => NodeJS.ReadableStream; finalize: () => Promise<void> };
    };
    const req = new PassThrough();
    const body = Buffer.alloc(11 * 1024 * 1024, 0x61);
    const cloneable = getCloneableBody(req, limit);
    const proxied = cloneable.cloneBodyStream(); // what the proxy reads
    proxied.resume();
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    req.end();
    await cloneable.finalize();
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      req.on("data", (c: Buffer) => (received += c.length));
      req.on("end", resolve);
      req.on("error", reject);
    });
    expect(received).toBe(body.length);
  });
});

describe("import: keys, history and verification", () => {
  it("matches a tranche without evidence number by project + date + amount, even one recorded with a number", async () => {
    // regression: a sheet without evidence numbers duplicated YH-IMP-1 (imported with its number above)
    const csv = ["项目编号,到位日期,到位金额(万元),是否核实", "IMP-0001,2026-04-10,1000,是"].join("\r\n");
    const r = await imp(w.actors.dalianLeader, "tranches", utf8(csv), true);
    expect(r.errors).toEqual([]);
    expect(r.counts).toEqual({ new: 0, updated: 0, unchanged: 1 });
  });

  it("refuses an evidence number already used by another project, without naming it", async () => {
    await imp(w.actors.dalianStaff, "projects", utf8(PROJECTS_CSV.split("\r\n")[0] + "\r\nEVI-0001,另一个签约项目,内资,大连市,辽宁另一家投资有限公司,辽宁,,,,5000,签约,推进中,2026-01-02,,2026-02-01,4000,"));
    const r = await imp(w.actors.dalianLeader, "tranches", utf8(`${TRANCHE_HEADER}\r\nEVI-0001,2026-04-10,1000,否,yh-imp-1,`), true);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual([[2, "凭证号", "errors.import.evidenceElsewhere"]]);
    expect(JSON.stringify(r.errors)).not.toContain("IMP-0001");
  });

  it("compares evidence numbers as the duplicate-evidence flag does: full-width, spaced and lower-case variants are the same slip", async () => {
    // regression: matched on upper(evidence_no) only, so "ＹＨ－ＩＭＰ－１ " re-imported as a new tranche
    const r = await imp(w.actors.dalianLeader, "tranches", utf8(`${TRANCHE_HEADER}\r\nIMP-0001,2026-04-10,1000,是,　ＹＨ-ＩＭＰ-１ ,`), true);
    expect(r.errors).toEqual([]);
    expect(r.counts).toEqual({ new: 0, updated: 0, unchanged: 1 });
  });

  it("a leader cannot verify, by import, a tranche they reported; new verified rows name the importer as verifier only", async () => {
    const pending = `${TRANCHE_HEADER}\r\nIMP-0001,2026-06-02,50,否,SELF-1,`;
    expect((await imp(w.actors.dalianLeader, "tranches", utf8(pending))).applied).toBe(true);
    const r = await imp(w.actors.dalianLeader, "tranches", utf8(pending.replace("50,否", "50,是")), true);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual([[2, "是否核实", "errors.import.ownReport"]]);
    // another leader may
    expect((await imp(w.actors.provinceLeader, "tranches", utf8(pending.replace("50,否", "50,是")))).counts.updated).toBe(1);
    const [self] = await t.db.select().from(tranches).where(eq(tranches.evidenceNo, "SELF-1"));
    expect(self).toMatchObject({ status: "verified", reportedBy: w.actors.dalianLeader.id, verifiedBy: w.actors.provinceLeader.id });
    // a row verified in the sheet: reported by the sheet (no person), verified by the importer
    const [fromSheet] = await t.db.select().from(tranches).where(eq(tranches.evidenceNo, "YH-IMP-1"));
    expect(fromSheet).toMatchObject({ status: "verified", reportedBy: null, verifiedBy: w.actors.dalianLeader.id });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "tranche.import_verified"), eq(auditLog.entityId, fromSheet!.id)));
    expect(audit).toMatchObject({ actorId: w.actors.dalianLeader.id, after: expect.objectContaining({ source: "import", verifiedByImport: true }) });
  });

  it("the CLI without --as cannot import verified tranches (nobody to name as verifier)", async () => {
    const system = await cliActor(t.db);
    const r = await imp(system, "tranches", utf8(`${TRANCHE_HEADER}\r\nIMP-0001,2026-06-03,10,是,SYS-1,`), true);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual([[2, "是否核实", "errors.import.verifySystem"]]);
    expect((await imp(system, "tranches", utf8(`${TRANCHE_HEADER}\r\nIMP-0001,2026-06-03,10,否,SYS-1,`), true)).errors).toEqual([]);
  });

  it("re-links a project to the investor the sheet names and recomputes its origin class; a registered origin is not overwritten", async () => {
    const header = PROJECTS_CSV.split("\r\n")[0];
    const [before] = await t.db.select().from(projects).where(eq(projects.code, "IMP-0003"));
    expect(before!.originClass).toBe("local");
    const row3 = PROJECTS_CSV.split("\r\n")[3]!;
    const moved = row3.replace("大连港冷链物流有限公司,大连", "浙江冷链集团有限公司,浙江");
    const r = await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${moved}`));
    expect(r.counts).toEqual({ new: 0, updated: 1, unchanged: 0 });
    const [after] = await t.db.select({ p: projects, name: investors.name }).from(projects).innerJoin(investors, eq(investors.id, projects.investorId)).where(eq(projects.code, "IMP-0003"));
    expect(after).toMatchObject({ name: "浙江冷链集团有限公司", p: { originClass: "out_of_province" } });
    expect((await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${moved}`), true)).counts.unchanged).toBe(1);
    // the same investor, another origin: refused (the investor's page changes it, for all its projects)
    const wrongOrigin = PROJECTS_CSV.split("\r\n")[1]!.replace(",江苏,", ",广东,");
    const e = await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${wrongOrigin}`), true);
    expect(e.errors.map((x) => [x.row, x.column, x.message.key])).toEqual([[2, "投资方来源地", "errors.import.investorOrigin"]]);
  });

  it("refuses contact and negotiation dates that disagree with the recorded history, and updates a status reason", async () => {
    const header = `${PROJECTS_CSV.split("\r\n")[0]},状态原因`;
    const row2 = PROJECTS_CSV.split("\r\n")[2]!;
    const r = await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${row2.replace("2026-04-01,2026-05-06", "2026-03-30,2026-05-07")},`), true);
    expect(r.errors.map((x) => [x.column, x.message.key, x.message.values?.recorded])).toEqual([["接触日期", "errors.import.historyDate", "2026-04-01"]]);
    const r2 = await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${row2.replace("2026-05-06", "2026-05-07")},`), true);
    expect(r2.errors.map((x) => [x.column, x.message.key, x.message.values?.recorded])).toEqual([["洽谈日期", "errors.import.historyDate", "2026-05-06"]]);
    const onHold = PROJECTS_CSV.split("\r\n")[3]!.replace("大连港冷链物流有限公司,大连", "浙江冷链集团有限公司,浙江");
    const reason = await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${onHold},等待用地指标`));
    expect(reason.counts.updated).toBe(1);
    const [p] = await t.db.select().from(projects).where(eq(projects.code, "IMP-0003"));
    expect(p!.statusReason).toBe("等待用地指标");
  });

  it("a corrected signing is a stage event (the figures read signings from events); notes are message keys", async () => {
    const header = PROJECTS_CSV.split("\r\n")[0];
    const row1 = PROJECTS_CSV.split("\r\n")[1]!.replace(",32000,", ",33000,");
    const q1 = { unit: "210200", from: "2026-01-01", to: "2026-03-31" };
    const signedBefore = (await computeHeadline(t.db, w.actors.dalianLeader, q1)).signed.domestic_amount;
    const r = await imp(w.actors.dalianStaff, "projects", utf8(`${header}\r\n${row1}`));
    expect(r.counts.updated).toBe(1);
    const signedAfter = (await computeHeadline(t.db, w.actors.dalianLeader, q1)).signed.domestic_amount;
    expect(dec(signedAfter).minus(signedBefore).toFixed(2)).toBe("10000000.00");
    const [p] = await t.db.select().from(projects).where(eq(projects.code, "IMP-0001"));
    expect(p!.signedAmount).toBe("330000000.00");
    const events = await t.db.select().from(stageEvents).where(eq(stageEvents.projectId, p!.id)).orderBy(desc(stageEvents.recordedAt), desc(stageEvents.id));
    expect(events[0]).toMatchObject({ businessDate: "2026-03-20", signedAmount: "330000000.00", toStage: "funds", fromStage: "funds", note: "i18n:import.signingCorrectedNote" });
    // every note the importer wrote displays in the reader's language
    for (const e of events) expect(systemNoteKey(e.note)).not.toBeNull();
    expect(translate("zh-CN", systemNoteKey(events.at(-1)!.note)!)).toBe("由表格导入");
    expect(translate("en", systemNoteKey(events[0]!.note)!)).toBe("Signing date or amount corrected by an import");
  });

  it("a code of a deleted project is a row error, not a silent edit of the hidden row", async () => {
    const gone = await makeProject(t.db, w.actors.dalianStaff, { code: "DEL-0001", name: "已删除的项目" });
    await deleteProject(t.db, w.actors.admin, { id: gone.id, version: gone.version });
    const csv = `${PROJECTS_CSV.split("\r\n")[0]}\r\nDEL-0001,已删除的项目改名,内资,大连市,某某投资有限公司,江苏,,,,100,接触,推进中,2026-03-02,,,,`;
    const r = await imp(w.actors.dalianStaff, "projects", utf8(csv), true);
    expect(r.errors.map((x) => [x.row, x.column, x.message.key])).toEqual([[2, "项目编号", "errors.import.codeDeleted"]]);
  });

  it("a row changed by someone else between planning and writing refuses the whole import", async () => {
    const header = PROJECTS_CSV.split("\r\n")[0];
    const row2 = PROJECTS_CSV.split("\r\n")[2]!.replace("8800.5", "8900");
    const before = await rowCount(auditLog);
    const run = importFile(t.db, w.actors.dalianStaff, {
      kind: "projects", bytes: utf8(`${header}\r\n${row2}`), dryRun: false,
      onProgress: async (p) => {
        // planned: now someone edits the project on its page
        if (p.phase === "validate" && p.done === p.total) await t.db.update(projects).set({ notes: "改了", version: sql`${projects.version} + 1` }).where(eq(projects.code, "IMP-0002"));
      },
    });
    await expect(run).rejects.toMatchObject({ code: "CONFLICT", msg: { key: "errors.import.stale" } });
    const [p] = await t.db.select().from(projects).where(eq(projects.code, "IMP-0002"));
    expect(p!.plannedAmount).toBe("88005000.00");
    expect(await rowCount(auditLog)).toBe(before);
  });
});

describe("import: period locks", () => {
  let lt: TTestDb;
  let lw: TWorld;
  beforeAll(async () => {
    lt = await createTestDb();
    lw = await seedWorld(lt.db);
  });
  afterAll(() => lt?.close());

  it("an investor change that moves a project's figures into or out of 省外 is refused in a locked period", async () => {
    const header = PROJECTS_CSV.split("\r\n")[0];
    const row = "LCK-0001,锁定期项目,内资,大连市,大连本地投资有限公司,大连,,,,1000,签约,推进中,2026-01-05,,2026-01-20,900,";
    expect((await importFile(lt.db, lw.actors.dalianStaff, { kind: "projects", bytes: utf8(`${header}\r\n${row}`), dryRun: false })).applied).toBe(true);
    expect((await importFile(lt.db, lw.actors.dalianLeader, { kind: "tranches", bytes: utf8(`${TRANCHE_HEADER}\r\nLCK-0001,2026-02-10,100,是,LCK-1,`), dryRun: false })).applied).toBe(true);
    await lockPeriod(lt.db, lw.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const r = await importFile(lt.db, lw.actors.dalianStaff, { kind: "projects", bytes: utf8(`${header}\r\n${row.replace("大连本地投资有限公司,大连", "江苏外地投资有限公司,江苏")}`), dryRun: true });
    expect(r.errors.map((x) => [x.row, x.column, x.message.key])).toEqual([[2, "投资方来源地", "errors.lock.locked"]]);
  });
});

describe("import: moving units", () => {
  it("moves a unit as the page does: the subtree's paths versioned and audited, its projects' origin class re-derived; rows below it in the same file follow", async () => {
    const admin = callerFor(t.db, w.actors.admin);
    const zone = await admin.units.create({ code: "MV-Z", name: "搬迁测试园区", kind: "zone", parentId: w.units.dalian.id });
    const park = await admin.units.create({ code: "MV-Z1", name: "搬迁测试一园", kind: "zone", parentId: zone.id });
    const block = await admin.units.create({ code: "MV-Z11", name: "搬迁测试一园一区", kind: "zone", parentId: park.id });
    const p = await makeProject(t.db, w.actors.admin, { unitId: block.id, investor: { newInvestor: { name: "大连本地搬迁测试投资有限公司", originRegion: "210200" } } });
    expect(p.originClass).toBe("local");
    // the zone moves to 丹东; the block (below the park, which is not in the file) is renamed; a new unit joins the park
    const file = utf8(["code,name,parent_code", "MV-Z,搬迁测试园区,210600", "MV-Z11,搬迁测试一区改名,MV-Z1", "MV-Z12,搬迁测试一园二区,MV-Z1"].join("\r\n"));
    const preview = await imp(w.actors.admin, "units", file, true);
    expect([preview.errors, preview.counts]).toEqual([[], { new: 1, updated: 2, unchanged: 0 }]);
    expect((await imp(w.actors.admin, "units", file)).applied).toBe(true);

    const rows = new Map((await t.db.select().from(units)).map((u) => [u.code, u]));
    expect(rows.get("MV-Z")).toMatchObject({ parentId: w.units.dandong.id, path: "210000/210600/MV-Z/", version: zone.version + 1 });
    expect(rows.get("MV-Z1")).toMatchObject({ parentId: zone.id, path: "210000/210600/MV-Z/MV-Z1/", version: park.version + 1 });
    expect(rows.get("MV-Z11")).toMatchObject({ name: "搬迁测试一区改名", path: "210000/210600/MV-Z/MV-Z1/MV-Z11/", version: block.version + 2 });
    expect(rows.get("MV-Z12")).toMatchObject({ parentId: park.id, path: "210000/210600/MV-Z/MV-Z1/MV-Z12/" });

    const audit = async (entityId: string) =>
      (await t.db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.seq)).map((a) => ({ action: a.action, before: a.before, after: a.after }));
    expect((await audit(zone.id)).at(-1)).toMatchObject({
      action: "unit.import",
      before: { parentId: w.units.dalian.id, path: "210000/210200/MV-Z/" },
      after: { parentId: w.units.dandong.id, path: "210000/210600/MV-Z/" },
    });
    // each unit below has its own entry, as when moved on the page (the figures "as of" rebuild the tree from them)
    expect((await audit(park.id)).slice(1)).toMatchObject([
      { action: "unit.update", before: { parentId: zone.id, path: "210000/210200/MV-Z/MV-Z1/" }, after: { parentId: zone.id, path: "210000/210600/MV-Z/MV-Z1/", version: park.version + 1 } },
    ]);
    expect((await audit(block.id)).slice(1).map((a) => [a.action, (a.after as { path: string }).path])).toEqual([
      ["unit.update", "210000/210600/MV-Z/MV-Z1/MV-Z11/"],
      ["unit.import", "210000/210600/MV-Z/MV-Z1/MV-Z11/"],
    ]);
    // a 大连 investor's project now lies in 丹东: out of city
    const [after] = await t.db.select().from(projects).where(eq(projects.id, p.id));
    expect([after!.originClass, after!.version]).toEqual(["out_of_city", p.version + 1]);
    expect(await audit(p.id)).toContainEqual(expect.objectContaining({ action: "project.reclassify_origin", before: expect.objectContaining({ originClass: "local" }), after: expect.objectContaining({ originClass: "out_of_city" }) }));
    // the same file again changes nothing
    expect((await imp(w.actors.admin, "units", file, true)).counts).toEqual({ new: 0, updated: 0, unchanged: 3 });
  });

  it("refuses a move under the unit's own subtree, also through a parent moved in the same file", async () => {
    const admin = callerFor(t.db, w.actors.admin);
    const a = await admin.units.create({ code: "CY-A", name: "循环测试甲园", kind: "zone", parentId: w.units.dalian.id });
    await admin.units.create({ code: "CY-B", name: "循环测试乙园", kind: "zone", parentId: a.id });
    await admin.units.create({ code: "CY-C", name: "循环测试丙园", kind: "zone", parentId: w.units.dalian.id });
    const r = await imp(w.actors.admin, "units", utf8("code,name,parent_code\r\nCY-A,循环测试甲园,CY-C\r\nCY-C,循环测试丙园,CY-B"), true);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key])).toEqual([[2, "parent_code", "errors.unit.cycle"], [3, "parent_code", "errors.unit.cycle"]]);
  });
});

describe("import: stage dates", () => {
  const header = PROJECTS_CSV.split("\r\n")[0];
  const row = (code: string, stage: string, dates: [string, string, string], status = "推进中") =>
    `${code},日期测试${code}项目,内资,大连市,日期测试投资有限公司,江苏,,,,1000,${stage},${status},${dates.join(",")},${stage === "签约" ? "900" : ""},`;

  it("refuses dates out of order (contact ≤ negotiation ≤ signing) or in the future, naming the column and the date it precedes", async () => {
    const csv = [
      header,
      row("SD-0001", "签约", ["2026-03-01", "2026-02-01", "2026-04-01"]),
      row("SD-0002", "签约", ["2026-03-01", "", "2026-02-15"]),
      row("SD-0003", "签约", ["2026-01-01", "2026-05-01", "2026-04-30"]),
      row("SD-0004", "洽谈", ["2026-03-01", "2026-02-01", ""]),
      row("SD-0005", "签约", ["2026-03-01", "2026-03-05", "2099-01-05"]),
      row("SD-0006", "签约", ["2026-03-01", "2026-03-01", "2026-03-01"]),
    ].join("\r\n");
    const r = await imp(w.actors.dalianStaff, "projects", utf8(csv));
    expect(r.applied).toBe(false);
    expect(r.errors.map((e) => [e.row, e.column, e.message.key, e.message.values])).toEqual([
      [2, "洽谈日期", "errors.import.dateOrder", { other: "接触日期", date: "2026-03-01" }],
      [3, "签约日期", "errors.import.dateOrder", { other: "接触日期", date: "2026-03-01" }],
      [4, "签约日期", "errors.import.dateOrder", { other: "洽谈日期", date: "2026-05-01" }],
      [5, "洽谈日期", "errors.import.dateOrder", { other: "接触日期", date: "2026-03-01" }],
      [6, "签约日期", "errors.date.future", undefined],
    ]);
    const [e] = r.errors;
    expect(translate("zh-CN", e!.message.key, e!.message.values)).toBe("日期顺序有误：不能早于接触日期（2026-03-01）；应为 接触 ≤ 洽谈 ≤ 签约");
    expect(translate("en", e!.message.key, e!.message.values)).toBe("Dates out of order: cannot be before 接触日期 (2026-03-01); contact ≤ negotiation ≤ signing");
  });

  it("refuses a stage move of a project dated before its latest recorded event, as the page does", async () => {
    const staff = w.actors.dalianStaff;
    expect((await imp(staff, "projects", utf8(`${header}\r\n${row("SD-0101", "洽谈", ["2026-04-01", "2026-05-06", ""])}`))).applied).toBe(true);
    const [p] = await t.db.select().from(projects).where(eq(projects.code, "SD-0101"));
    // put on hold on its page on 2026-06-10
    await callerFor(t.db, staff).projects.moveStage({ id: p!.id, version: p!.version, toStage: "negotiation", toStatus: "on_hold", businessDate: "2026-06-10" });
    const signing = (on: string) => utf8(`${header}\r\n${row("SD-0101", "签约", ["2026-04-01", "2026-05-06", on], "暂缓")}`);
    const r = await imp(staff, "projects", signing("2026-05-20"), true);
    expect(r.errors).toEqual([{ row: 2, column: "签约日期", message: { key: "errors.stage.beforeLastEvent", values: { date: "2026-06-10" } } }]);
    expect(translate("zh-CN", r.errors[0]!.message.key, r.errors[0]!.message.values)).toContain("2026-06-10");
    // without the negotiation date in the sheet: still before the recorded history
    const noNegotiation = await imp(staff, "projects", utf8(`${header}\r\n${row("SD-0101", "签约", ["2026-04-01", "", "2026-05-01"], "暂缓")}`), true);
    expect(noNegotiation.errors.map((e) => [e.column, e.message.key])).toEqual([["签约日期", "errors.stage.beforeLastEvent"]]);
    const ok = await imp(staff, "projects", signing("2026-06-10"));
    expect([ok.errors, ok.counts.updated]).toEqual([[], 1]);
    const [signed] = await t.db.select().from(projects).where(eq(projects.code, "SD-0101"));
    expect(signed).toMatchObject({ stage: "signed", signedOn: "2026-06-10", stageSince: "2026-06-10" });
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
    // regression: this only checked that no cell was a formula, which ExcelJS never writes from a string anyway
    const texts: string[] = [];
    for (const s of wb.worksheets)
      s.eachRow((r) =>
        r.eachCell((c) => {
          expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof c.value === "string") texts.push(c.value);
        }),
      );
    expect(texts).toContain(`'=HYPERLINK("http://evil","点我")`);
    expect(texts).toContain("'@SUM(1)");
    expect(texts.filter((x) => /^[=+@\t\r]/.test(x))).toEqual([]);
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
