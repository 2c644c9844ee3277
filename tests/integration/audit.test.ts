// The audit log is append-only and tamper-evident: the application's handle cannot change or remove
// an entry, the chain is verified by recomputing every hash in TypeScript, and a change made behind
// the triggers' back (as a superuser) is found and named. The admin log and each project's history
// show only what lies in the viewer's scope.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE, pgErrorCode, queryRows, type Db } from "@/db/client";
import { activities, auditLog, contacts } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, insertUser, makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import { auditChanges } from "@/lib/audit-diff";
import type { TActor } from "@/server/auth/actor";
import { SYSTEM_ACTOR } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { auditEntryHash, describeAuditBreak, formatAuditTimestamp, GENESIS_HASH, verifyAuditChain, verifyAuditForActor } from "@/server/audit/verify-audit";
import { addEvidence } from "@/server/funds/evidence";
import { lockPeriod } from "@/server/locks/lock-period";
import { createUnit } from "@/server/units/units";
import { callerFor, trpcError } from "./helpers";

const PDF = new TextEncoder().encode("%PDF-1.4\n% 银行进账单\n%%EOF\n");

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

async function auditCount(db: Db) {
  const [r] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from audit_log`);
  return Number(r!.n);
}

/** A bit of everything the log records: projects, stages, tranches, evidence, contacts, a system write. */
async function someHistory(db: Db, staff: TActor, leader: TActor) {
  const api = callerFor(db, staff);
  const p = await makeProject(db, staff, { name: `审计测试项目「引号」\\ 反斜杠 ${Math.random().toString(36).slice(2, 7)}` });
  const signed = await api.projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-10", signedAmount: "120000000.50" });
  const tr = await api.funds.report({ projectId: p.id, amount: "30000000.25", arrivedOn: "2026-03-20", evidenceNo: `YH${Date.now()}` });
  await addEvidence(db, staff, tr.id, [{ name: "进账单.pdf", bytes: PDF }]);
  const verified = await callerFor(db, leader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
  const c = await api.investors.addContact({ investorId: p.investorId, name: "王经理 😀", title: "总经理", phone: "0411-88880000" });
  await api.investors.updateContact({ id: c.id, version: c.version, name: "王经理", title: null, phone: "0411-88880001" });
  await createUnit(db, SYSTEM_ACTOR, { code: `AUD-${Math.random().toString(36).slice(2, 7)}`, name: `审计园区${Math.random().toString(36).slice(2, 7)}`, kind: "zone", parentId: staff.unitId });
  return { project: signed, tranche: verified, contactId: c.id };
}

describe("audit log: append-only", () => {
  // regression: the app connected as the owner/superuser, so `set local session_replication_role =
  // replica; delete from audit_log` succeeded (the triggers were its only guard)
  it("the application's role cannot UPDATE, DELETE, TRUNCATE, disable the triggers or turn them off for a session", async () => {
    await someHistory(t.db, w.actors.dalianStaff, w.actors.dalianLeader);
    const before = await auditCount(t.db);
    const [role] = await queryRows<{ current_user: string }>(t.db, sql`select current_user`);
    expect(role!.current_user).toBe(APP_ROLE);
    const refused = async (label: string, run: (tx: Db) => Promise<unknown>) => {
      const err = await t.db.transaction(run).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${label} must be refused`).not.toBeNull();
      expect(pgErrorCode(err), label).toBe("42501"); // insufficient_privilege: no grant, not owner, not superuser
    };
    await refused("update", (tx) => tx.execute(sql`update audit_log set action = 'forged'`));
    await refused("delete", (tx) => tx.execute(sql`delete from audit_log`));
    await refused("truncate", (tx) => tx.execute(sql`truncate audit_log`));
    await refused("disable trigger", (tx) => tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`));
    await refused("disable all triggers", (tx) => tx.execute(sql`alter table audit_log disable trigger all`));
    await refused("set local session_replication_role", async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from audit_log`);
    });
    await refused("set session_replication_role", (tx) => tx.execute(sql`set session_replication_role = replica`));
    await refused("drop the trigger", (tx) => tx.execute(sql`drop trigger audit_log_no_update on audit_log`));
    // published figures are frozen the same way
    await refused("delete published figures", (tx) => tx.execute(sql`delete from published_figures`));
    await refused("update published figures", (tx) => tx.execute(sql`update published_figures set hash = ''`));
    expect(await auditCount(t.db)).toBe(before);
    // and it still writes what the services write
    await writeAudit(t.db, { actorId: null, action: "test.append", entityType: "installation", entityId: "role", after: { ok: true } });
    expect(await auditCount(t.db)).toBe(before + 1);
  });

  it("refuses UPDATE, DELETE and TRUNCATE through the application's database handle", async () => {
    await someHistory(t.db, w.actors.dalianStaff, w.actors.dalianLeader);
    const [first] = await t.db.select().from(auditLog).orderBy(auditLog.seq).limit(1);
    const before = await auditCount(t.db);
    for (const q of [
      sql`update audit_log set after = '{"amount":"1.00"}'::jsonb where seq = ${first!.seq}`,
      sql`update audit_log set hash = repeat('0', 64)`,
      sql`delete from audit_log where seq = ${first!.seq}`,
      sql`delete from audit_log`,
      sql`truncate audit_log`,
    ]) {
      const err = await t.db.execute(q).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${q.queryChunks.map(String).join("")} must be refused`).not.toBeNull();
      expect(pgErrorCode(err)).toBe("42501"); // insufficient_privilege
    }
    // and through the ORM as the services write
    await expect(t.db.update(auditLog).set({ action: "forged" }).where(eq(auditLog.seq, first!.seq))).rejects.toThrow();
    await expect(t.db.delete(auditLog).where(eq(auditLog.seq, first!.seq))).rejects.toThrow();
    expect(await auditCount(t.db)).toBe(before);
    const [again] = await t.db.select().from(auditLog).where(eq(auditLog.seq, first!.seq));
    expect(again).toEqual(first);
  });
});

describe("audit log: the database's clock, read committed only", () => {
  // regression: the trigger kept a caller-supplied `at`, so the application could backdate an
  // entry past a moment the figures are rebuilt as of
  it("stores the transaction's time, whatever `at` the writer gives", async () => {
    const [{ seq: head }] = (await queryRows<{ seq: string }>(t.db, sql`select coalesce(max(seq), 0)::text as seq from audit_log`)) as [{ seq: string }];
    await t.db.insert(auditLog).values({ at: new Date("2001-02-03T04:05:06Z"), action: "test.backdated", entityType: "installation", entityId: "clock-orm" });
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`insert into audit_log (at, action, entity_type, entity_id) values ('2001-02-03T04:05:06Z', 'test.backdated', 'installation', 'clock-sql')`);
      await tx.execute(sql`insert into audit_log (at, action, entity_type, entity_id) values ('2999-01-01T00:00:00Z', 'test.backdated', 'installation', 'clock-future')`);
      const rows = await queryRows<{ entity_id: string; same: boolean }>(tx, sql`select entity_id, at = now() as same from audit_log where seq > ${head}::bigint order by seq`);
      // both entries of this transaction carry its one instant
      expect(rows.slice(1).map((r) => [r.entity_id, r.same])).toEqual([["clock-sql", true], ["clock-future", true]]);
    });
    const stored = await queryRows<{ entity_id: string; off_s: number }>(t.db, sql`select entity_id, abs(extract(epoch from now() - at))::float8 as off_s from audit_log where seq > ${head}::bigint order by seq`);
    expect(stored.map((r) => r.entity_id)).toEqual(["clock-orm", "clock-sql", "clock-future"]);
    for (const r of stored) expect(r.off_s, r.entity_id).toBeLessThan(60);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  // under REPEATABLE READ or SERIALIZABLE the trigger's read of the last hash sees the snapshot of
  // the transaction's start, even after it takes the lock: an entry committed meanwhile by another
  // session would be linked past, forking the chain
  it("refuses to append under a snapshot isolation level, with a clear error", async () => {
    const before = await auditCount(t.db);
    for (const isolationLevel of ["repeatable read", "serializable"] as const) {
      const err = await t.db
        .transaction((tx) => writeAudit(tx, { actorId: null, action: "test.snapshot", entityType: "installation", entityId: isolationLevel }), { isolationLevel })
        .then(() => null, (e: unknown) => e);
      expect(String((err as { cause?: unknown } | null)?.cause ?? err), isolationLevel).toMatch(/audit_log.*READ COMMITTED/);
    }
    expect(await auditCount(t.db)).toBe(before);
    await t.db.transaction((tx) => writeAudit(tx, { actorId: null, action: "test.snapshot", entityType: "installation", entityId: "read committed" }), { isolationLevel: "read committed" });
    expect(await auditCount(t.db)).toBe(before + 1);
  });
});

describe("audit log: verification", () => {
  it("recomputes every hash in TypeScript and finds the chain intact", async () => {
    const d = await createTestDb();
    try {
      const world = await seedWorld(d.db);
      await someHistory(d.db, world.actors.dalianStaff, world.actors.dalianLeader);
      await someHistory(d.db, world.actors.shenyangStaff, world.actors.provinceLeader);
      const n = await auditCount(d.db);
      expect(n).toBeGreaterThan(15);
      // small batches: the keyset walk crosses many batch boundaries
      const v = await verifyAuditChain(d.db, { batchSize: 4 });
      expect(v).toMatchObject({ ok: true, entries: n });
      const [last] = await d.db.select().from(auditLog).orderBy(sql`seq desc`).limit(1);
      expect(v.ok && v.lastSeq).toBe(last!.seq);
      expect(v.ok && v.lastHash).toBe(last!.hash);

      // the TypeScript hash is the trigger's hash, entry by entry (the database's own function agrees too)
      const rows = await queryRows<{ seq: string; micros: string; actor_id: string | null; action: string; entity_type: string; entity_id: string; unit_id: string | null; before: string | null; after: string | null; prev_hash: string; hash: string; db_hash: string }>(
        d.db,
        sql`select seq::text as seq, (extract(epoch from at) * 1000000)::bigint::text as micros, actor_id::text as actor_id, action, entity_type, entity_id,
              unit_id::text as unit_id, before::text as before, after::text as after, prev_hash, hash,
              audit_log_hash(prev_hash, seq, at, actor_id, action, entity_type, entity_id, unit_id, before, after) as db_hash
            from audit_log order by seq`,
      );
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
      expect(rows.some((r) => r.actor_id === null)).toBe(true); // the system write
      for (const r of rows) {
        const mine = auditEntryHash({ prevHash: r.prev_hash, seq: r.seq, atMicros: BigInt(r.micros), actorId: r.actor_id, action: r.action, entityType: r.entity_type, entityId: r.entity_id, unitId: r.unit_id, before: r.before, after: r.after });
        expect(mine).toBe(r.hash);
        expect(r.db_hash).toBe(r.hash);
      }
    } finally {
      await d.close();
    }
  });

  it("formats the trigger's timestamp text exactly, microseconds included", () => {
    expect(formatAuditTimestamp(1_489_000_000_123_456n)).toBe("2017-03-08T19:06:40.123456Z");
    expect(formatAuditTimestamp(0n)).toBe("1970-01-01T00:00:00.000000Z");
    expect(formatAuditTimestamp(-1n)).toBe("1969-12-31T23:59:59.999999Z");
    expect(formatAuditTimestamp(-1_500_000n)).toBe("1969-12-31T23:59:58.500000Z");
  });

  /** A fresh database with some history, a superuser `tamper` step behind the triggers' back, then verify. */
  async function tampered(tamper: (db: Db, seq: number) => Promise<void>) {
    const d = await createTestDb();
    try {
      const world = await seedWorld(d.db);
      await someHistory(d.db, world.actors.dalianStaff, world.actors.dalianLeader);
      const rows = await d.db.select({ seq: auditLog.seq, action: auditLog.action, entityType: auditLog.entityType, entityId: auditLog.entityId }).from(auditLog).orderBy(auditLog.seq);
      const victim = rows.find((r) => r.action === "tranche.verify")!;
      const next = rows[rows.indexOf(victim) + 1]!;
      expect(await verifyAuditChain(d.db)).toMatchObject({ ok: true, entries: rows.length });
      // as the owner: the application's own role cannot do any of this
      await d.asOwner(async (owner) => {
        await owner.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
        await tamper(owner, victim.seq);
        await owner.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      });
      return {
        result: await verifyAuditChain(d.db, { batchSize: 3 }),
        // what an administrator of the tranche's city, and one of another city, are shown
        seenBy: { dalian: await verifyAuditForActor(d.db, { unitPath: world.units.dalian.path }), shenyang: await verifyAuditForActor(d.db, { unitPath: world.units.shenyang.path }) },
        victim,
        victimIndex: rows.indexOf(victim),
        previous: rows[rows.indexOf(victim) - 1]!,
        next,
        total: rows.length,
      };
    } finally {
      await d.close();
    }
  }

  it("finds an entry whose content was changed as a superuser, and names its seq", async () => {
    const { result, victim, victimIndex, previous } = await tampered(async (db, seq) => {
      await db.execute(sql`update audit_log set after = jsonb_set(after, '{amount}', '"3000000.24"') where seq = ${seq}`);
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.broken).toMatchObject({ seq: victim.seq, action: "tranche.verify", entityType: "tranche", entityId: victim.entityId, problems: ["hash"] });
    expect(describeAuditBreak(result.broken)).toContain(`seq ${victim.seq} (tranche.verify tranche ${victim.entityId}`);
    expect(result.checked).toBe(victimIndex); // every entry before it was checked and found sound
    expect(result.broken.previousSeq).toBe(previous.seq);
  });

  it("names a broken entry's object only to an administrator whose scope holds it", async () => {
    const { seenBy, victim } = await tampered(async (db, seq) => {
      await db.execute(sql`update audit_log set after = jsonb_set(after, '{amount}', '"1.00"') where seq = ${seq}`);
    });
    expect(seenBy.dalian).toMatchObject({ ok: false, broken: { seq: victim.seq, entityId: victim.entityId, hidden: false } });
    expect(seenBy.shenyang).toMatchObject({ ok: false, broken: { seq: victim.seq, entityId: "", action: "", hidden: true } });
  });

  it("finds a changed entry whose hash was recomputed to match: the next entry no longer links to it", async () => {
    const { result, next } = await tampered(async (db, seq) => {
      await db.execute(sql`update audit_log set after = jsonb_set(after, '{status}', '"rejected"') where seq = ${seq}`);
      await db.execute(sql`update audit_log set hash = audit_log_hash(prev_hash, seq, at, actor_id, action, entity_type, entity_id, unit_id, before, after) where seq = ${seq}`);
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.broken).toMatchObject({ seq: next.seq, problems: ["prev_hash"] });
  });

  it("finds a removed entry", async () => {
    const { result, next } = await tampered(async (db, seq) => {
      await db.execute(sql`delete from audit_log where seq = ${seq}`);
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.broken).toMatchObject({ seq: next.seq, problems: ["prev_hash"], previousSeq: next.seq - 2 });
  });

  it("finds a changed timestamp", async () => {
    const { result, victim } = await tampered(async (db, seq) => {
      await db.execute(sql`update audit_log set at = at - interval '1 microsecond' where seq = ${seq}`);
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.broken).toMatchObject({ seq: victim.seq, problems: ["hash"] });
  });

  // regression: deleting the newest entries left a shorter chain that verified as intact
  describe("the newest entries: heads recorded outside the chain", () => {
    /** Some history, a lock (recording the head), more history; then `cut` as the owner. */
    async function anchored(cut: (owner: Db, head: { seq: number; hash: string }) => Promise<void>, opts: { expect?: boolean } = {}) {
      const d = await createTestDb();
      try {
        const world = await seedWorld(d.db);
        await someHistory(d.db, world.actors.dalianStaff, world.actors.dalianLeader);
        const lock = await lockPeriod(d.db, world.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2025, n: 1 });
        const [last] = await d.db.select().from(auditLog).where(sql`seq < (select seq from audit_log where entity_id = ${lock.id})`).orderBy(sql`seq desc`).limit(1);
        expect([lock.auditHeadSeq, lock.auditHeadHash]).toEqual([last!.seq, last!.hash]); // the head before the lock's own entry
        await someHistory(d.db, world.actors.shenyangStaff, world.actors.provinceLeader);
        const intact = await verifyAuditChain(d.db);
        expect(intact).toMatchObject({ ok: true, anchors: 1 });
        const head = { seq: intact.ok ? intact.lastSeq! : 0, hash: intact.ok ? intact.lastHash! : "" };
        await d.asOwner(async (owner) => {
          await owner.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
          await cut(owner, { seq: lock.auditHeadSeq!, hash: lock.auditHeadHash! });
          await owner.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
        });
        return { lock, head, result: await verifyAuditChain(d.db, { batchSize: 5, expect: opts.expect ? [{ source: "operator", id: "", ...head }] : [] }) };
      } finally {
        await d.close();
      }
    }

    it("finds the log cut back to before a lock: the head the lock recorded is missing", async () => {
      const { lock, result } = await anchored((owner, h) => owner.execute(sql`delete from audit_log where seq >= ${h.seq}`).then(() => {}));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.broken).toMatchObject({ seq: lock.auditHeadSeq, problems: ["missing"], anchor: { source: "period_lock", id: lock.id } });
      expect(describeAuditBreak(result.broken)).toContain(`seq ${lock.auditHeadSeq}: the entry recorded as the chain head by period lock ${lock.id}`);
    });

    it("finds the entries from a recorded head on rewritten with recomputed hashes (a chain that links up again)", async () => {
      const { lock, result } = await anchored(async (owner, h) => {
        await owner.execute(sql`update audit_log set action = 'forged' where seq = ${h.seq}`);
        // recompute every hash from there on, in order, so the chain itself is consistent again
        const rows = await queryRows<{ seq: string }>(owner, sql`select seq::text as seq from audit_log where seq >= ${h.seq} order by seq`);
        for (const r of rows) {
          await owner.execute(sql`update audit_log a set prev_hash = coalesce((select hash from audit_log p where p.seq < a.seq order by p.seq desc limit 1), repeat('0', 64)) where seq = ${r.seq}::bigint`);
          await owner.execute(sql`update audit_log set hash = audit_log_hash(prev_hash, seq, at, actor_id, action, entity_type, entity_id, unit_id, before, after) where seq = ${r.seq}::bigint`);
        }
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.broken).toMatchObject({ seq: lock.auditHeadSeq, problems: ["anchor"], action: "forged", anchor: { id: lock.id } });
    });

    it("the newest entries after the last recorded head: found against the head an operator noted", async () => {
      const cutLast = (owner: Db) => owner.execute(sql`delete from audit_log where seq = (select max(seq) from audit_log)`).then(() => {});
      // nothing recorded it: the shorter chain is intact on its own (why the head is printed)
      expect((await anchored(cutLast)).result.ok).toBe(true);
      const { head, result } = await anchored(cutLast, { expect: true });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.broken).toMatchObject({ seq: head.seq, problems: ["missing"], anchor: { source: "operator" } });
      expect(describeAuditBreak(result.broken)).toContain("the head you gave (--expect)");
    });
  });

  it("audit.verify answers admins only", async () => {
    const ok = await callerFor(t.db, w.actors.admin).audit.verify();
    expect(ok).toMatchObject({ ok: true, entries: await auditCount(t.db) });
    expect((await trpcError(callerFor(t.db, w.actors.provinceLeader).audit.verify())).code).toBe("FORBIDDEN");
    expect((await trpcError(callerFor(t.db, w.actors.dalianStaff).audit.verify())).code).toBe("FORBIDDEN");
  });
});

describe("audit log: admin page", () => {
  it("filters by entity, action prefix, actor and date, within the admin's scope", async () => {
    const { project, tranche } = await someHistory(t.db, w.actors.shenyangStaff, w.actors.provinceLeader);
    expect(project.unitId).toBe(w.units.shenyang.id);
    const admin = callerFor(t.db, w.actors.admin);
    const byEntity = await admin.audit.list({ entityType: "tranche", entityId: tranche.id });
    expect(byEntity.rows.map((r) => r.action)).toEqual(["tranche.verify", "tranche.report"]); // newest first
    expect(byEntity.total).toBe(2);
    expect(byEntity.rows[0]!.actorName).toBe("王厅长");
    expect(byEntity.rows[0]!.unitName).toBe("沈阳市");
    expect(byEntity.names.users[w.actors.shenyangStaff.id]).toBe("张专员"); // reportedBy, named

    const byAction = await admin.audit.list({ action: "project.", entityId: project.id });
    expect(byAction.rows.map((r) => r.action).sort()).toEqual(["project.create", "project.move_stage", "project.move_stage"]);
    const byActor = await admin.audit.list({ actor: w.actors.provinceLeader.id, pageSize: 200 });
    expect(byActor.rows.length).toBeGreaterThan(0);
    expect(byActor.rows.every((r) => r.actorId === w.actors.provinceLeader.id)).toBe(true);
    const system = await admin.audit.list({ actor: "system", pageSize: 200 });
    expect(system.rows.every((r) => r.actorId === null)).toBe(true);
    expect(system.rows.some((r) => r.action === "unit.create")).toBe(true);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await admin.audit.list({ entityId: project.id, from: today, to: today })).total).toBe(3);
    expect((await admin.audit.list({ entityId: project.id, to: "2020-01-01" })).total).toBe(0);
    const bad = await trpcError(admin.audit.list({ from: "2026-03-01", to: "2026-02-01" }));
    expect(bad.code).toBe("BAD_REQUEST");

    // pagination: pages do not overlap and add up to the total
    const p1 = await admin.audit.list({ pageSize: 5, page: 1 });
    const p2 = await admin.audit.list({ pageSize: 5, page: 2 });
    expect(p1.rows.length).toBe(5);
    expect(p1.rows.at(-1)!.seq).toBeGreaterThan(p2.rows[0]!.seq);
    expect(p1.total).toBe(await auditCount(t.db));

    // leaders are not admins; a city's admin sees its own subtree only
    expect((await trpcError(callerFor(t.db, w.actors.provinceLeader).audit.list({}))).code).toBe("FORBIDDEN");
    const dalianAdmin = await actorOf(t.db, (await insertUser(t.db, "admin.dl@test.ln.gov.cn", "大连管理员", "admin", w.units.dalian.id)).id);
    const city = callerFor(t.db, dalianAdmin);
    expect((await city.audit.list({ entityId: tranche.id })).total).toBe(0); // Shenyang's
    const dalianRows = (await city.audit.list({ pageSize: 200 })).rows;
    expect(dalianRows.length).toBeGreaterThan(0);
    expect(dalianRows.every((r) => r.unitName === "大连市" || r.unitName === "大连金普新区" || r.action === "unit.create")).toBe(true);
    expect(dalianRows.some((r) => r.actorId === null && r.unitId === null)).toBe(false); // installation-wide entries: root admins only
  });
});

describe("project history", () => {
  it("lists the entries of the project, its tranches, evidence, activities and contacts — and nothing else", async () => {
    const staff = w.actors.dalianStaff;
    const api = callerFor(t.db, staff);
    const { project, contactId } = await someHistory(t.db, staff, w.actors.dalianLeader);
    // a tranche reported, then withdrawn (the row is gone; its history stays)
    const tr2 = await api.funds.report({ projectId: project.id, amount: "1000.00", arrivedOn: "2026-03-21", evidenceNo: `WD${Date.now()}` });
    await addEvidence(t.db, staff, tr2.id, [{ name: "作废.pdf", bytes: PDF }]);
    await api.funds.withdraw({ id: tr2.id, version: tr2.version });
    // a contact removed
    const c2 = await api.investors.addContact({ investorId: project.investorId, name: "临时联系人" });
    await api.investors.removeContact({ id: c2.id, version: c2.version });
    // an activity (its audit entry as the activities service writes it)
    const [act] = await t.db.insert(activities).values({ projectId: project.id, kind: "visit", occurredOn: "2026-03-05", summary: "走访企业", createdBy: staff.id }).returning();
    await writeAudit(t.db, { actorId: staff.id, action: "activity.create", entityType: "activity", entityId: act!.id, unitId: project.unitId, after: act });
    // noise: another project of the same unit, and the same investor's contact in another city
    const other = await makeProject(t.db, staff);
    const [foreignContact] = await t.db.insert(contacts).values({ investorId: project.investorId, name: "沈阳联系人", ownerUnitId: w.units.shenyang.id }).returning();
    await writeAudit(t.db, { actorId: w.actors.shenyangStaff.id, action: "contact.create", entityType: "contact", entityId: foreignContact!.id, unitId: w.units.shenyang.id, after: foreignContact });

    const h = await api.audit.projectHistory({ projectId: project.id, limit: 100 });
    const seen = h.rows.map((r) => `${r.entityType}:${r.action}`);
    expect(seen.sort()).toEqual(
      [
        "activity:activity.create",
        "contact:contact.create", "contact:contact.create", "contact:contact.delete", "contact:contact.update",
        "evidence:evidence.add", "evidence:evidence.add",
        "project:project.create", "project:project.move_stage", "project:project.move_stage",
        "tranche:tranche.report", "tranche:tranche.report", "tranche:tranche.verify", "tranche:tranche.withdraw",
      ].sort(),
    );
    expect(h.rows.some((r) => r.entityId === other.id || r.entityId === foreignContact!.id)).toBe(false);
    expect(h.rows.map((r) => r.seq)).toEqual([...h.rows.map((r) => r.seq)].sort((a, b) => b - a));
    expect(h.rows.find((r) => r.entityId === contactId && r.action === "contact.update")!.actorName).toBe("刘专员");
    expect(h.nextCursor).toBeNull();

    // a field-by-field diff of the contact update
    const upd = h.rows.find((r) => r.action === "contact.update")!;
    expect(auditChanges(upd.before as never, upd.after as never).map((c) => c.field).sort()).toEqual(["name", "phone", "title"]);
    expect(h.names.users[staff.id]).toBe("刘专员");

    // paging by seq
    const first = await api.audit.projectHistory({ projectId: project.id, limit: 6 });
    const rest = await api.audit.projectHistory({ projectId: project.id, limit: 100, cursor: first.nextCursor! });
    expect(first.rows.length).toBe(6);
    expect([...first.rows, ...rest.rows].map((r) => r.seq)).toEqual(h.rows.map((r) => r.seq));

    // everyone who reads the project reads its history; out of scope answers like a missing project
    expect((await callerFor(t.db, w.actors.dalianLeader).audit.projectHistory({ projectId: project.id, limit: 100 })).rows.length).toBe(h.rows.length);
    // the Shenyang contact is in the province leader's scope: it shows up for them, not for Dalian
    const province = await callerFor(t.db, w.actors.provinceLeader).audit.projectHistory({ projectId: project.id, limit: 100 });
    expect(province.rows.some((r) => r.entityId === foreignContact!.id)).toBe(true);
    for (const outsider of [w.actors.shenyangStaff, w.actors.zoneStaff]) {
      const err = await trpcError(callerFor(t.db, outsider).audit.projectHistory({ projectId: project.id }));
      expect(err.code).toBe("NOT_FOUND");
    }
    const missing = await trpcError(api.audit.projectHistory({ projectId: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.code).toBe("NOT_FOUND");
  });
});
