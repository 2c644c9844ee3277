// `npm run cli -- audit verify`, `db backup` and `db restore` as an operator runs them: child
// processes on temporary PGlite folders, output on stdout, errors on stderr with exit code 1.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite, queryRows } from "@/db/client";

const exec = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-cli-trust-"));
const original = path.join(dir, "original");
const restored = path.join(dir, "restored");
const backup = path.join(dir, "backup.jsonl.gz");

async function cli(dataDir: string, ...args: string[]) {
  try {
    const r = await exec(process.execPath, ["node_modules/tsx/dist/cli.mjs", "cli/index.ts", ...args], {
      env: { ...process.env, PGLITE_DIR: dataDir, DATABASE_URL: "", LANG: "en_US.UTF-8", CLI_LANG: "" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run cli -- audit verify / db backup / db restore", () => {
  it("verifies the chain, backs up, restores into an empty folder only, and names a tampered entry", { timeout: 300_000 }, async () => {
    expect((await cli(original, "unit", "add", "--code", "210000", "--name", "辽宁省")).code).toBe(0);
    expect((await cli(original, "unit", "add", "--code", "210200", "--name", "大连市", "--parent", "210000")).code).toBe(0);
    expect((await cli(original, "user", "add", "--email", "admin@example.cn", "--name", "管理员", "--role", "admin", "--unit", "210000", "--password", "Admin-pass-2026")).code).toBe(0);

    const verified = await cli(original, "audit", "verify");
    expect(verified.code).toBe(0);
    const [intact, headLine] = verified.stdout.trim().split("\n");
    expect(intact).toBe("audit chain intact: 3 entries");
    // the head, to note down and check later
    expect(headLine).toMatch(/^head: 3:[0-9a-f]{64} \(0 recorded head\(s\) checked\)$/);
    const head = /^head: (\S+)/.exec(headLine!)![1]!;
    expect((await cli(original, "audit", "verify", "--expect", head)).code).toBe(0);
    expect((await cli(original, "audit", "verify", "--expect", "3:xyz")).stderr).toContain("--expect 3:xyz: expected <seq>:<64 hex digits>");

    const b = await cli(original, "db", "backup", backup);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^backup written to .*backup\.jsonl\.gz: \d+ rows in \d+ tables \(3 audit entries, 0 evidence files\)/);
    expect(fs.statSync(backup).mode & 0o077).toBe(0); // password hashes inside: owner-only

    const r = await cli(restored, "db", "restore", backup);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 audit entries");
    expect(r.stdout).toContain("audit chain intact: 3 entries");
    // the restored installation works: the administrator signs in with the same password hash, new writes chain on
    expect((await cli(restored, "unit", "add", "--code", "210600", "--name", "丹东市", "--parent", "210000")).code).toBe(0);
    expect((await cli(restored, "audit", "verify", "--expect", head)).stdout).toContain("audit chain intact: 4 entries\n");

    const again = await cli(restored, "db", "restore", backup);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: the database is not empty/);
    const missing = await cli(restored, "db", "restore", path.join(dir, "no-such-file.gz"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*no-such-file/);

    // tamper with the original as a superuser, behind the triggers' back
    const h = await openPglite(original, { as: "owner" }); // the app's own role cannot
    let seq: number;
    try {
      const [victim] = await queryRows<{ seq: number }>(h.db, sql`select seq::int as seq from audit_log where action = 'unit.create' order by seq desc limit 1`);
      seq = victim!.seq;
      await h.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await h.db.execute(sql`update audit_log set after = jsonb_set(after, '{name}', '"沈阳市"') where seq = ${seq}`);
      await h.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    } finally {
      await h.close();
    }
    const broken = await cli(original, "audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toContain(`error: audit chain broken at seq ${seq} (unit.create unit `);
    expect(broken.stderr).toContain("does not match its content");

    // the newest entry removed: the chain is shorter but whole; the noted head is not there any more
    const cut = await openPglite(restored, { as: "owner" });
    try {
      await cut.db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await cut.db.execute(sql`delete from audit_log where seq = (select max(seq) from audit_log)`);
      await cut.db.execute(sql`delete from audit_log where seq = (select max(seq) from audit_log)`);
      await cut.db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    } finally {
      await cut.close();
    }
    expect((await cli(restored, "audit", "verify")).code).toBe(0);
    const truncated = await cli(restored, "audit", "verify", "--expect", head);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toContain("error: audit chain broken at seq 3: the entry recorded as the chain head by the head you gave (--expect)");
  });
});
