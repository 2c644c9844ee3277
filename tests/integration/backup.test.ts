// Backup and restore round trip: a database holding demo-like data (projects in every stage,
// tranches, an evidence file, audit entries with real timestamps) is written to a backup file and
// restored into a fresh database; every table must come back value for value, the evidence bytes
// intact, the headline figures the same and the audit chain verifiable. Runs on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, queryRows, type Db } from "@/db/client";
import { auditLog, evidenceFiles, projects, units, users } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { actorOf, makeProject } from "@/db/testing/factories";
import { REF, seedReferenceCase } from "@/db/testing/reference-case";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { SYSTEM_ACTOR } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { verifyAuditChain } from "@/server/audit/verify-audit";
import { backupToFile } from "@/server/backup/backup-database";
import { describeTables, quoteIdent } from "@/server/backup/backup-format";
import { restoreFromFile } from "@/server/backup/restore-database";
import { addEvidence } from "@/server/funds/evidence";
import { computeHeadline, headlineJson } from "@/server/figures/headline";
import { publishFigures } from "@/server/figures/publish";
import { createUnit } from "@/server/units/units";
import { callerFor } from "./helpers";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-backup-"));
const PERIOD = { unit: "210000", from: "2026-01-01", to: "2026-06-30" };
// a real-looking PDF with every byte value in it: base64 must carry binary exactly
const EVIDENCE = Buffer.concat([Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)), Buffer.from("\n%%EOF\n")]);

let source: TTestDb;
const file = path.join(dir, "demo.jsonl.gz");

/** Every table's row count and a digest of all its rows' text, in primary-key order. */
async function fingerprint(db: Db) {
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const t of await describeTables(db)) {
    const order = (t.primaryKey.length ? t.primaryKey : t.columns.map((c) => c.name)).map((c) => `x.${quoteIdent(c)}`).join(", ");
    const [r] = await queryRows<{ n: string | number; digest: string }>(
      db,
      sql.raw(`select count(*) as n, md5(coalesce(string_agg(x::text, E'\\n' order by ${order}), '')) as digest from public.${quoteIdent(t.name)} x`),
    );
    out[t.name] = { rows: Number(r!.n), digest: r!.digest };
  }
  return out;
}

async function evidenceDigests(db: Db) {
  const rows = await db.select({ id: evidenceFiles.id, sha256: evidenceFiles.sha256, size: evidenceFiles.size, content: evidenceFiles.content }).from(evidenceFiles).orderBy(evidenceFiles.id);
  return rows.map((r) => ({ id: r.id, stored: r.sha256, size: r.size, actual: createHash("sha256").update(r.content).digest("hex") }));
}

const headline = async (db: Db) => headlineJson(await computeHeadline(db, SYSTEM_ACTOR, PERIOD));

async function withFreshDb<T>(body: (db: Db) => Promise<T>): Promise<T> {
  const d = await createTestDb();
  try {
    return await d.asOwner(body); // a restore runs as the owner (it turns triggers off)
  } finally {
    await d.close();
  }
}

async function countRows(db: Db) {
  return Object.values(await fingerprint(db)).reduce((n, t) => n + t.rows, 0);
}

/** The backup's lines, edited, written to a new file. */
function editedBackup(name: string, edit: (lines: string[]) => string[]) {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString("utf8").split("\n");
  const out = path.join(dir, name);
  fs.writeFileSync(out, zlib.gzipSync(Buffer.from(edit(lines).join("\n"), "utf8")));
  return out;
}

beforeAll(async () => {
  source = await createTestDb();
  const db = source.db;
  await seedDemo(db, { password: "Demo-pass-2026", seed: 20260101, projects: 40, today: "2026-06-30" });
  const id = async (email: string) => (await db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]!.id;
  const admin = await actorOf(db, await id("admin@zs.example"));
  const leader = await actorOf(db, await id("leader@zs.example"));
  // a tranche reported with an evidence file, then verified: audited writes with real timestamps
  const [signed] = await db
    .select()
    .from(projects)
    .where(and(inArray(projects.stage, ["signed", "funds"]), eq(projects.status, "active"), isNull(projects.deletedAt)))
    .orderBy(projects.code)
    .limit(1);
  expect(signed, "the demo data has a signed project").toBeDefined();
  const tr = await callerFor(db, admin).funds.report({ projectId: signed!.id, amount: "12345678.90", arrivedOn: "2026-06-20", evidenceNo: "YH20260620999" });
  await addEvidence(db, admin, tr.id, [{ name: "银行进账单.pdf", bytes: new Uint8Array(EVIDENCE) }]);
  await callerFor(db, leader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
  await publishFigures(db, leader, { unit: "210000", from: "2026-01-01", to: "2026-03-31" });
  // more history: projects created by hand (investor + project entries), one with quotes and emoji
  for (let i = 0; i < 15; i++) await makeProject(db, admin, { name: `备份测试项目${i}号${i === 0 ? " “引号” \\ 😀" : ""}` });
  await createUnit(db, SYSTEM_ACTOR, { code: "BK-ZONE", name: "备份测试园区", kind: "zone", parentId: admin.unitId });
});
afterAll(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("db backup / db restore", () => {
  it("restores every row, evidence byte, figure and audit hash into a fresh database", { timeout: 180_000 }, async () => {
    const before = await fingerprint(source.db);
    const summary = await backupToFile(source.db, file);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    expect(summary.rows).toBe(Object.values(before).reduce((n, t) => n + t.rows, 0));
    expect(new Set(summary.tables.map((t) => t.name))).toEqual(new Set(Object.keys(before)));
    // dependency order: a table comes after every table it refers to
    const order = summary.tables.map((t) => t.name);
    expect(order.indexOf("units")).toBeLessThan(order.indexOf("users"));
    expect(order.indexOf("projects")).toBeLessThan(order.indexOf("tranches"));
    expect(order.indexOf("tranches")).toBeLessThan(order.indexOf("evidence_files"));
    for (const t of ["units", "users", "projects", "tranches", "evidence_files", "audit_log", "stage_events", "targets", "published_figures"]) expect(before[t]!.rows, t).toBeGreaterThan(0);
    expect(before.audit_log!.rows).toBeGreaterThan(30);

    const sourceEvidence = await evidenceDigests(source.db);
    expect(sourceEvidence.some((e) => e.actual === createHash("sha256").update(EVIDENCE).digest("hex"))).toBe(true);
    const sourceHeadline = await headline(source.db);
    expect(Number(sourceHeadline.domestic.funds)).toBeGreaterThan(0);
    const sourceChain = await verifyAuditChain(source.db);
    expect(sourceChain.ok).toBe(true);

    await withFreshDb(async (db) => {
      const restored = await restoreFromFile(db, file);
      expect(restored.rows).toBe(summary.rows);
      const after = await fingerprint(db);
      // every table, row for row and value for value
      expect(after).toEqual(before);
      console.log(`backup round trip: ${restored.rows} rows in ${restored.tables.length} tables compared (${Object.entries(after).map(([n, t]) => `${n} ${t.rows}`).join(", ")})`);
      const ev = await evidenceDigests(db);
      expect(ev).toEqual(sourceEvidence);
      for (const e of ev) {
        expect(e.actual).toBe(e.stored);
        expect(e.size).toBeGreaterThan(0);
      }
      expect(await headline(db)).toEqual(sourceHeadline);
      const chain = await verifyAuditChain(db);
      expect(chain).toMatchObject({ ok: true, entries: before.audit_log!.rows });
      expect(chain.ok && chain.lastHash).toBe(sourceChain.ok && sourceChain.lastHash);

      // the restored installation carries on: the next audit entry continues the chain
      const [last] = await db.select({ seq: auditLog.seq }).from(auditLog).orderBy(sql`seq desc`).limit(1);
      const [root] = await db.select().from(units).where(eq(units.code, "210000"));
      await writeAudit(db, { actorId: null, action: "test.after_restore", entityType: "installation", entityId: "restore", unitId: root!.id, after: { ok: true } });
      const [next] = await db.select({ seq: auditLog.seq }).from(auditLog).where(and(eq(auditLog.action, "test.after_restore")));
      expect(next!.seq).toBeGreaterThan(last!.seq);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: before.audit_log!.rows + 1 });

      // a second restore into the same (no longer empty) database is refused, nothing changes
      const rows = await countRows(db);
      await expect(restoreFromFile(db, file)).rejects.toThrow(/not empty/);
      expect(await countRows(db)).toBe(rows);
    });
  });

  // CI's PostgreSQL pass: the same file moves between the engines, both ways
  it.skipIf(!process.env.TEST_DATABASE_URL)("moves a PostgreSQL backup into PGlite and back, unchanged", { timeout: 180_000 }, async () => {
    if (!fs.existsSync(file)) await backupToFile(source.db, file);
    const before = await fingerprint(source.db);
    const lite = await openPglite(undefined, { as: "owner" });
    try {
      await restoreFromFile(lite.db, file);
      expect(await fingerprint(lite.db)).toEqual(before);
      expect(await evidenceDigests(lite.db)).toEqual(await evidenceDigests(source.db));
      expect(await headline(lite.db)).toEqual(await headline(source.db));
      expect(await verifyAuditChain(lite.db)).toMatchObject({ ok: true, entries: before.audit_log!.rows });
      const back = path.join(dir, "from-pglite.jsonl.gz");
      await backupToFile(lite.db, back);
      await withFreshDb(async (db) => {
        await restoreFromFile(db, back);
        expect(await fingerprint(db)).toEqual(before);
      });
    } finally {
      await lite.close();
    }
  });

  it("reproduces the reference case's published figures after a round trip", { timeout: 180_000 }, async () => {
    const refFile = path.join(dir, "reference.jsonl.gz");
    await withFreshDb(async (db) => {
      await seedReferenceCase(db);
      await backupToFile(db, refFile);
    });
    await withFreshDb(async (db) => {
      await restoreFromFile(db, refFile);
      const h = await computeHeadline(db, SYSTEM_ACTOR, { unit: REF.province, ...REF.q1 });
      expect(h.domestic.projects).toBe(458);
      expect(h.domestic.funds).toBe("62850000000.00");
      expect(h.domestic.funds_yoy_pct).toBe("5.3");
      expect(h.foreign.projects).toBe(90);
      expect(h.foreign.funds).toBe("1160000000.00");
      expect(h.foreign.funds_yoy_pct).toBe("31.7");
      const dl = await computeHeadline(db, SYSTEM_ACTOR, { unit: REF.city, ...REF.janApr });
      expect(dl.domestic.projects).toBe(101);
      expect(dl.domestic.funds).toBe("5410000000.00");
      expect(dl.domestic.target_progress_pct).toBe("22.5");
    });
  });

  it("refuses a damaged, cut-short or foreign file, writing nothing", { timeout: 180_000 }, async () => {
    if (!fs.existsSync(file)) await backupToFile(source.db, file);
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString("utf8").split("\n").filter(Boolean);
    const evidenceAt = lines.findIndex((l) => l.startsWith('{"table":"evidence_files"'));
    const cases: Array<[string, string, RegExp]> = [
      // the trailer and the last rows lost: most tables already went in when the end is found missing
      ["cut.jsonl.gz", editedBackup("cut.jsonl.gz", (l) => l.slice(0, -3)), /incomplete|damaged/],
      // a row whose parent is missing (the tranche of an evidence file): found by the foreign-key check
      ["orphan.jsonl.gz", editedBackup("orphan.jsonl.gz", (l) => l.map((x, i) => (i === evidenceAt + 1 ? x.replace(/^\["[0-9a-f-]{36}","[0-9a-f-]{36}"/, (m) => `${m.slice(0, 40)}"00000000-0000-4000-8000-000000000000"`) : x))), /refer to missing tranches/],
      ["level.jsonl.gz", editedBackup("level.jsonl.gz", (l) => [l[0]!.replace(/"migrations":\{"count":\d+/, '"migrations":{"count":99'), ...l.slice(1)]), /migration/],
      ["count.jsonl.gz", editedBackup("count.jsonl.gz", (l) => l.filter((_, i) => i !== evidenceAt + 1)), /damaged/],
    ];
    const gzipCut = path.join(dir, "gzip-cut.gz");
    const whole = fs.readFileSync(file);
    fs.writeFileSync(gzipCut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    cases.push(["gzip-cut.gz", gzipCut, /incomplete|unexpected end/i]);
    const notBackup = path.join(dir, "other.gz");
    fs.writeFileSync(notBackup, zlib.gzipSync(Buffer.from('{"hello":"world"}\n')));
    cases.push(["other.gz", notBackup, /not a backup file/]);
    const plain = path.join(dir, "plain.txt");
    fs.writeFileSync(plain, "not gzip at all");
    cases.push(["plain.txt", plain, /not a backup file/]);

    await withFreshDb(async (db) => {
      for (const [name, f, message] of cases) {
        await expect(restoreFromFile(db, f), name).rejects.toThrow(message);
        expect(await countRows(db), `${name}: nothing written`).toBe(0);
      }
      // and the intact file still restores into that same database afterwards
      await restoreFromFile(db, file);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    });
  });
});
