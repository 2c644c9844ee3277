import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { openPglite } from "@/db/client";
import * as schema from "@/db/schema";
import { makeProject, seedWorld } from "@/db/testing/factories";
import { authenticate } from "@/server/auth/authenticate";
import type { TActor } from "@/server/auth/actor";
import { headlineColumns } from "@/server/exports/headline-table";
import { callerFor } from "./helpers";

const exec = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-cli-"));
const dataDir = path.join(dir, "data");

async function cliIn(folder: string, ...args: string[]) {
  try {
    const r = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "cli/index.ts", ...args], {
      env: { ...process.env, PGLITE_DIR: folder, DATABASE_URL: "", LANG: "en_US.UTF-8", CLI_LANG: "", TZ: "UTC" },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const cli = (...args: string[]) => cliIn(dataDir, ...args);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run cli", () => {
  it("migrates, bootstraps a unit and an admin, and refuses bad input with a non-zero exit", { timeout: 240_000 }, async () => {
    expect((await cli("db", "migrate")).stdout).toContain("migrations applied");
    expect((await cli("unit", "add", "--code", "210000", "--name", "辽宁省")).code).toBe(0);
    expect((await cli("unit", "add", "--code", "210200", "--name", "大连市", "--parent", "210000")).code).toBe(0);
    const added = await cli("user", "add", "--email", "Admin@Example.cn", "--name", "管理员", "--role", "admin", "--unit", "210000", "--password", "Admin-pass-2026");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("admin@example.cn");

    expect((await cli("user", "add", "--email", "staff@example.cn", "--name", "专员", "--role", "staff", "--unit", "210200", "--password", "Staff-pass-2026")).code).toBe(0);
    const dup = await cli("user", "add", "--email", "admin@example.cn", "--name", "x", "--role", "staff", "--unit", "210200", "--password", "Another-2026");
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("already in use");
    const badUnit = await cli("user", "add", "--email", "b@example.cn", "--name", "x", "--role", "staff", "--unit", "999999", "--password", "Another-2026");
    expect(badUnit.code).toBe(1);
    expect(badUnit.stderr).toMatch(/not found/i);
    const seed = await cli("db", "seed");
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain("already has data");

    const json = await cli("report", "headline", "--unit", "210000", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report)).toEqual(["unit", "from", "to", "as_of", "domestic", "foreign", "out_of_province", "signed", "pending", "children"]);
    expect(report.domestic).toEqual({ currency: "CNY", projects: 0, funds: "0.00", projects_yoy_pct: null, funds_yoy_pct: null, target: null, target_progress_pct: null });
    expect(report.children.map((c: { unit: string }) => c.unit)).toEqual(["210200"]);
    const csv = await cli("report", "headline", "--unit", "210200", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "csv");
    expect(csv.stdout.startsWith("\uFEFFunit,name,domestic_projects,domestic_funds")).toBe(true);
    const badDate = await cli("report", "headline", "--unit", "210000", "--from", "2026-13-01", "--to", "2026-03-31");
    expect(badDate.code).toBe(1);
    const outOfScope = await cli("report", "headline", "--unit", "210000", "--from", "2026-01-01", "--to", "2026-03-31", "--as", "staff@example.cn");
    expect(outOfScope.code).toBe(1);

    const h = await openPglite(dataDir);
    try {
      expect(await authenticate(h.db, "admin@example.cn", "Admin-pass-2026")).not.toBeNull();
      // the folder is now locked by this process: the CLI must say so, not corrupt it
      const locked = await cli("db", "migrate");
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain("Stop the server or set DATABASE_URL");
    } finally {
      await h.close();
    }
  });

  it("report headline on real data: JSON as a city leader (no other city's rows), as of a moment, and XLSX", { timeout: 240_000 }, async () => {
    const folder = path.join(dir, "figures");
    const h = await openPglite(folder);
    try {
      const w = await seedWorld(h.db);
      const funded = async (staff: TActor, leader: TActor, amount: string, arrivedOn: string) => {
        const p = await makeProject(h.db, staff, { startedOn: "2026-01-02" });
        const s = await callerFor(h.db, staff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-01-10", signedAmount: "900000000" });
        const tr = await callerFor(h.db, staff).funds.report({ projectId: p.id, amount, arrivedOn });
        await callerFor(h.db, leader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
        return s;
      };
      const dl = await funded(w.actors.dalianStaff, w.actors.dalianLeader, "100000000", "2026-02-10");
      await funded(w.actors.shenyangStaff, w.actors.provinceLeader, "40000000", "2026-03-01");
      await callerFor(h.db, w.actors.admin).targets.set({ year: 2026, entries: [{ unitId: w.units.dalian.id, metric: "domestic_funds", value: "1000000000", version: null }] });
      // a tranche recorded at 20:00 Beijing time on 10 March and verified at 21:00 (dated by its own timestamps)
      await h.db.insert(schema.tranches).values({
        projectId: dl.id, amount: "20000000.00", arrivedOn: "2026-03-09", status: "verified",
        reportedAt: new Date("2026-03-10T20:00:00+08:00"), verifiedAt: new Date("2026-03-10T21:00:00+08:00"),
      });
    } finally {
      await h.close();
    }
    const report = async (...args: string[]) => {
      const r = await cliIn(folder, "report", "headline", "--from", "2026-01-01", "--to", "2026-03-31", ...args);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };

    const all = await report("--unit", "210000", "--format", "json");
    expect(all).toMatchObject({ unit: "210000", from: "2026-01-01", to: "2026-03-31", as_of: null });
    expect(all.domestic).toEqual({ currency: "CNY", projects: 2, funds: "160000000.00", projects_yoy_pct: null, funds_yoy_pct: null, target: null, target_progress_pct: null });
    expect(all.signed).toEqual({ projects: 2, domestic_amount: "1800000000.00", foreign_amount: "0.00" });
    expect(all.children.map((c: { unit: string; domestic: { funds: string } }) => [c.unit, c.domestic.funds])).toEqual([
      ["210100", "40000000.00"],
      ["210200", "120000000.00"],
      ["210600", "0.00"],
    ]);

    // as Dalian's leader: Dalian and its zone only; the province (and Shenyang in it) is not found
    const dalian = await report("--unit", "210200", "--as", "leader.dl@test.ln.gov.cn");
    expect(dalian.domestic).toMatchObject({ projects: 1, funds: "120000000.00", target: "1000000000.00", target_progress_pct: "12.0" });
    expect(dalian.signed.projects).toBe(1);
    expect(dalian.children.map((c: { unit: string }) => c.unit)).toEqual(["DL-JKQ"]);
    expect(JSON.stringify(dalian)).not.toMatch(/210100|沈阳|40000000/);
    const province = await cliIn(folder, "report", "headline", "--unit", "210000", "--from", "2026-01-01", "--to", "2026-03-31", "--as", "leader.dl@test.ln.gov.cn");
    expect(province.code).toBe(1);
    expect(province.stdout).toBe("");

    // --as-of with a date alone: the end of that day in Beijing, so the 20:00 tranche is in
    const endOfDay = await report("--unit", "210000", "--as-of", "2026-03-10");
    expect(endOfDay.as_of).toBe("2026-03-10T15:59:59.999Z");
    expect(endOfDay.domestic).toMatchObject({ projects: 1, funds: "20000000.00" });
    expect(endOfDay.pending.tranches).toBe(0);
    // UTC midnight (08:00 in Beijing) is before it was recorded; at 20:30 it awaited verification
    expect((await report("--unit", "210000", "--as-of", "2026-03-10T00:00:00Z")).domestic.funds).toBe("0.00");
    const evening = await report("--unit", "210000", "--as-of", "2026-03-10T20:30:00+08:00");
    expect(evening.domestic.funds).toBe("0.00");
    expect(evening.pending).toEqual({ tranches: 1, domestic_amount: "20000000.00", foreign_amount: "0.00" });
    const badMoment = await cliIn(folder, "report", "headline", "--unit", "210000", "--from", "2026-01-01", "--to", "2026-03-31", "--as-of", "10/03/2026");
    expect(badMoment.code).toBe(1);
    expect(badMoment.stderr).toContain("--as-of");

    const file = path.join(dir, "headline.xlsx");
    const x = await cliIn(folder, "report", "headline", "--unit", "210000", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "xlsx", "--out", file, "--as", "leader@test.ln.gov.cn");
    expect(x.code, x.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const keys = headlineColumns("en").map((c) => c.key);
    const cell = (row: number, key: string) => ws.getRow(row).getCell(keys.indexOf(key) + 1).value;
    // row 3 is the header, then the unit itself, then its children; amounts in 万
    expect([4, 5, 6, 7].map((r) => cell(r, "unit"))).toEqual(["210000", "210100", "210200", "210600"]);
    expect(cell(4, "domestic_funds")).toBe(16000);
    expect(cell(4, "domestic_projects")).toBe(2);
    expect(cell(5, "domestic_funds")).toBe(4000);
    expect(cell(6, "domestic_funds")).toBe(12000);
    expect(cell(6, "domestic_target")).toBe(100000);
    expect(cell(6, "domestic_target_progress_pct")).toBeCloseTo(0.12, 10);
    expect(cell(4, "signed_projects")).toBe(2);
  });
});
