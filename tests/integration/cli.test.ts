import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "@/db/client";
import { authenticate } from "@/server/auth/authenticate";

const exec = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-cli-"));
const dataDir = path.join(dir, "data");

async function cli(...args: string[]) {
  try {
    const r = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "cli/index.ts", ...args], {
      env: { ...process.env, PGLITE_DIR: dataDir, DATABASE_URL: "", LANG: "en_US.UTF-8", CLI_LANG: "" },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

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
});
