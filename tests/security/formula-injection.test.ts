// Formula injection: every text field a user (or an imported file) can fill holds a spreadsheet
// payload — project name, notes and lost reason, investor name and credit code, contact fields,
// unit name, owner name and email, tranche note and evidence number, activity fields — stored
// exactly as typed (leading tab and CR included). Then every export is produced, in every format:
// the project list and the stage report (CSV and XLSX, as the export route writes them), the
// review-meeting pack (CSV and XLSX, as its route writes them) and the CLI's `export` and
// `report headline` files. No cell may start with an unneutralised = + - @ TAB or CR (a plain
// number such as -5.3 is a number, not a formula), no XLSX cell is a formula (checked in ExcelJS's
// model and in the sheet XML itself), and each payload does appear, neutralised, where its field
// is exported — so the check looked at real cells.
// (Industry, stage, status and the like are enums: their cells are our own labels.)
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse as parseCsv } from "csv-parse/sync";
import { eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, type Db } from "@/db/client";
import { activities, contacts, investors, projects, tranches, units, users } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, insertUnit, insertUser, makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import { addActivity } from "@/server/activities/activities";
import { headlineCsv, headlineXlsx } from "@/server/exports/headline-table";
import { writeProjectsCsv, writeProjectsXlsx, writeStageReportCsv } from "@/server/exports/project-export";
import { computeHeadline } from "@/server/figures/headline";
import { reportTranche, verifyTranche } from "@/server/funds/tranches";
import { addContact } from "@/server/investors/investors";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import { collect } from "../integration/helpers";

const exec = promisify(execFile);
const PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1"];
const DANGEROUS = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const PERIOD = { from: "2026-01-01", to: "2026-12-31" };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-formula-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * Under 大连, one development zone per payload (its name the payload), each with a signed, funded
 * project whose every text field is that payload. Written through the services, then set to the
 * raw payload (as a file import or old data could hold it: the services trim leading whitespace).
 */
async function seedPayloads(db: Db, w: TWorld) {
  const actor = w.actors.dalianStaff;
  const projectIds: string[] = [];
  for (const [i, payload] of PAYLOADS.entries()) {
    const zone = await insertUnit(db, `FI-${i}`, `注入测试区${i}`, "zone", w.units.dalian);
    const owner = await insertUser(db, `owner${i}@fi.test`, `负责人${i}`, "staff", zone.id);
    const p = await makeProject(db, actor, {
      unitId: zone.id, ownerId: owner.id, name: `注入测试项目${i}`, notes: "备注", startedOn: "2026-02-02",
      investor: { newInvestor: { name: `注入测试投资${i}有限公司`, originRegion: "320000" } },
    });
    const signed = await moveProjectStage(db, actor, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-02", signedAmount: "200000000" });
    const tr = await reportTranche(db, actor, { projectId: p.id, amount: "5000000", arrivedOn: "2026-04-01", evidenceNo: `YH-FI-${i}`, note: "首笔" });
    await verifyTranche(db, w.actors.dalianLeader, { id: tr.id, version: tr.version, decision: "verify" });
    const c = await addContact(db, actor, { investorId: p.investorId, name: `联系人${i}`, title: "总经理", phone: "0411-88880000", email: `c${i}@fi.test` });
    const a = await addActivity(db, actor, { projectId: p.id, kind: "visit", occurredOn: "2026-03-05", summary: "走访", participants: "刘专员", nextStep: "跟进", nextDueOn: "2026-03-20" });
    // a second project of the zone, ended with the payload as its reason
    const lost = await makeProject(db, actor, { unitId: zone.id, name: `注入测试终止项目${i}`, startedOn: "2026-02-02", investor: { investorId: p.investorId } });
    await moveProjectStage(db, actor, { id: lost.id, version: lost.version, toStage: "contact", toStatus: "lost", businessDate: "2026-03-03", reason: "投资方撤回" });

    await db.update(units).set({ name: payload + `区${i}` }).where(eq(units.id, zone.id));
    await db.update(users).set({ name: payload, email: `${payload}${i}@fi.test` }).where(eq(users.id, owner.id));
    await db.update(projects).set({ name: `${payload}项目${i}`, notes: payload }).where(eq(projects.id, signed.id));
    await db.update(projects).set({ name: `${payload}终止${i}`, statusReason: payload }).where(eq(projects.id, lost.id));
    await db.update(investors).set({ name: `${payload}投资${i}`, creditCode: `${payload}${i}` }).where(eq(investors.id, p.investorId));
    await db.update(contacts).set({ name: payload, title: payload, phone: payload, email: payload }).where(eq(contacts.id, c.id));
    await db.update(tranches).set({ note: payload, evidenceNo: `${payload}${i}` }).where(eq(tranches.id, tr.id));
    await db.update(activities).set({ summary: payload, participants: payload, nextStep: payload }).where(eq(activities.id, a.id));
    projectIds.push(p.id, lost.id);
  }
  const rows = await db.select({ name: projects.name }).from(projects).where(inArray(projects.id, projectIds));
  if (rows.filter((r) => PAYLOADS.some((x) => r.name.startsWith(x))).length !== PAYLOADS.length * 2) throw new Error("setup: payloads not stored");
}

// ---------------------------------------------------------------------------------------------
// Reading the files back, cell by cell

type TFile = { name: string; kind: "csv" | "xlsx"; bytes: Buffer };
const stats = { files: 0, cells: 0, formulas: 0, dangerous: [] as string[], neutralised: new Map<string, number>() };


function zipEntries(bytes: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, string>();
      zip.on("entry", (e: yauzl.Entry) => {
        zip.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(e2);
          const parts: Buffer[] = [];
          s.on("data", (c: Buffer) => parts.push(c));
          s.on("end", () => (out.set(e.fileName, Buffer.concat(parts).toString("utf8")), zip.readEntry()));
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

function checkText(file: string, where: string, text: string) {
  stats.cells++;
  if (DANGEROUS.test(text) && !PLAIN_NUMBER.test(text)) stats.dangerous.push(`${file} ${where}: ${JSON.stringify(text)}`);
  // (XML normalises a CR in a string to LF, or ExcelJS escapes it as _x000D_: the same payload)
  for (const p of PAYLOADS)
    if ([p, p.replace(/\r/g, "\n"), p.replace(/\r/g, "_x000D_")].some((v) => text.startsWith(`'${v}`))) stats.neutralised.set(`${file}|${p}`, (stats.neutralised.get(`${file}|${p}`) ?? 0) + 1);
}

async function checkFile(f: TFile) {
  stats.files++;
  if (f.kind === "csv") {
    const text = f.bytes.toString("utf8");
    expect(text.startsWith("\uFEFF"), `${f.name}: UTF-8 BOM`).toBe(true);
    const rows = parseCsv(text.slice(1), { relaxColumnCount: true, skipEmptyLines: false }) as string[][];
    rows.forEach((r, i) => r.forEach((cell, j) => checkText(f.name, `row ${i + 1} col ${j + 1}`, cell)));
    return;
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(f.bytes as never);
  wb.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: false }, (row, r) =>
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = cell.value as unknown;
        if (cell.type === ExcelJS.ValueType.Formula || (v && typeof v === "object" && ("formula" in v || "sharedFormula" in v))) {
          stats.formulas++;
          stats.dangerous.push(`${f.name} ${ws.name}!R${r}C${c}: formula ${JSON.stringify(v)}`);
        }
        if (typeof v === "number" || v instanceof Date || v === null) return void stats.cells++;
        checkText(f.name, `${ws.name}!R${r}C${c}`, cell.text);
      }),
    ),
  );
  // and in the XML itself: no <f> element in any sheet, whatever a reader makes of it
  for (const [name, xml] of await zipEntries(f.bytes)) {
    if (!name.startsWith("xl/worksheets/")) continue;
    const n = (xml.match(/<f[\s>]/g) ?? []).length;
    if (n) {
      stats.formulas += n;
      stats.dangerous.push(`${f.name} ${name}: ${n} <f> elements`);
    }
  }
}

/** Which payloads each file must show neutralised: every one, in the name columns it has. */
const expectNeutralised = (file: string) => expect(PAYLOADS.filter((p) => !stats.neutralised.get(`${file}|${p}`)), `${file}: payloads not found (neutralised) in any cell`).toEqual([]);

// ---------------------------------------------------------------------------------------------

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
  await seedPayloads(t.db, w);
}, 180_000);
afterAll(() => t?.close());

describe("formula injection in every export", () => {
  it("the project list and the stage report, as the export route writes them (CSV and XLSX)", async () => {
    const filters = { unit: "210200" };
    const files: TFile[] = [
      { name: "projects.csv", kind: "csv", bytes: await collect((o) => writeProjectsCsv(t.db, w.actors.dalianLeader, filters, "zh-CN", o)) },
      { name: "projects.xlsx", kind: "xlsx", bytes: await collect((o) => writeProjectsXlsx(t.db, w.actors.dalianLeader, filters, "zh-CN", o, { stageReport: false })) },
      { name: "stage-report.xlsx", kind: "xlsx", bytes: await collect((o) => writeProjectsXlsx(t.db, w.actors.dalianLeader, filters, "en", o, { stageReport: true })) },
      { name: "stage-report.csv", kind: "csv", bytes: await collect((o) => writeStageReportCsv(t.db, w.actors.dalianLeader, filters, "en", o)) },
    ];
    // a search for a payload lands in the report's title line; an exporter whose unit name is one lands there too
    const zoneStaff = await actorOf(t.db, (await t.db.select({ id: users.id }).from(users).where(eq(users.email, `${PAYLOADS[0]}0@fi.test`)))[0]!.id);
    files.push({ name: "stage-report-q.xlsx", kind: "xlsx", bytes: await collect((o) => writeProjectsXlsx(t.db, zoneStaff, { q: PAYLOADS[0] }, "zh-CN", o, { stageReport: true })) });
    for (const f of files) await checkFile(f);
    for (const f of files.slice(0, 4)) expectNeutralised(f.name);
    expect(stats.dangerous).toEqual([]);
  });

  it("the review-meeting pack, as its route writes it (CSV and XLSX)", async () => {
    const h = await computeHeadline(t.db, w.actors.dalianLeader, { unit: "210200", ...PERIOD, asOf: null });
    expect(h.children.length).toBeGreaterThanOrEqual(PAYLOADS.length);
    const files: TFile[] = [
      { name: "review-pack.csv", kind: "csv", bytes: Buffer.from(headlineCsv(h, "zh-CN")) },
      { name: "review-pack.xlsx", kind: "xlsx", bytes: await headlineXlsx(h, "zh-CN", { ranked: true }) },
      { name: "review-pack-en.xlsx", kind: "xlsx", bytes: await headlineXlsx(h, "en", { ranked: true }) },
    ];
    for (const f of files) await checkFile(f);
    for (const f of files) expectNeutralised(f.name);
    expect(stats.dangerous).toEqual([]);
  });

  it("the CLI's export and report headline files", { timeout: 300_000 }, async () => {
    const folder = path.join(tmp, "cli-data");
    const h = await openPglite(folder);
    await seedPayloads(h.db, await seedWorld(h.db));
    await h.close();
    const cli = (...args: string[]) =>
      exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "cli/index.ts", ...args], { env: { ...process.env, PGLITE_DIR: folder, DATABASE_URL: "", CLI_LANG: "zh-CN" } });
    const runs: Array<[string, "csv" | "xlsx", string[]]> = [
      ["cli-projects.csv", "csv", ["export", "projects", "--unit", "210200", "--format", "csv"]],
      ["cli-projects.xlsx", "xlsx", ["export", "projects", "--unit", "210200", "--format", "xlsx"]],
      ["cli-stage-report.csv", "csv", ["export", "stage-report", "--unit", "210200", "--format", "csv"]],
      ["cli-stage-report.xlsx", "xlsx", ["export", "stage-report", "--unit", "210200", "--format", "xlsx"]],
      ["cli-headline.csv", "csv", ["report", "headline", "--unit", "210200", "--from", PERIOD.from, "--to", PERIOD.to, "--format", "csv"]],
      ["cli-headline.xlsx", "xlsx", ["report", "headline", "--unit", "210200", "--from", PERIOD.from, "--to", PERIOD.to, "--format", "xlsx"]],
    ];
    for (const [name, kind, args] of runs) {
      const out = path.join(tmp, name);
      await cli(...args, "--out", out);
      const f = { name, kind, bytes: fs.readFileSync(out) };
      await checkFile(f);
      expectNeutralised(name);
    }
    expect(stats.dangerous).toEqual([]);
  });

  it("summary", () => {
    console.log(`formula injection: ${stats.cells} cells checked in ${stats.files} files, ${stats.formulas} formulas, ${stats.dangerous.length} unneutralised (${PAYLOADS.length} payloads in every text field)`);
    expect(stats.files).toBe(14);
    expect(stats.cells).toBeGreaterThan(500);
    expect(stats.formulas).toBe(0);
    expect(stats.dangerous).toEqual([]);
  });
});
