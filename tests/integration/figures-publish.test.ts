// Publishing while others write: the audit chain stays intact, and a record compared at once is
// reproduced exactly — whatever commits meanwhile, and whatever the application's clock says.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { publishedFigures } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { verifyAuditChain } from "@/server/audit/verify-audit";
import { writeAudit } from "@/server/audit/write-audit";
import { comparePublished, publicationHash, publishFigures } from "@/server/figures/publish";
import { verifyTranche } from "@/server/funds/tranches";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import { callerFor } from "./helpers";

const Q1 = { unit: "210000", from: "2026-01-01", to: "2026-03-31" };
const onPostgres = !!process.env.TEST_DATABASE_URL;

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
}, 120_000);
afterAll(() => t?.close());

const api = (a: TActor) => callerFor(t.db, a);
async function signed(staff: TActor, on = "2026-01-10") {
  const p = await makeProject(t.db, staff, { startedOn: "2026-01-02" });
  return api(staff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: on, signedAmount: "300000000.00" });
}
const pendingTranche = async (staff: TActor, amount: string) => api(staff).funds.report({ projectId: (await signed(staff)).id, amount, arrivedOn: "2026-02-10" });

/** `db` that calls `then` once the first query of each of its transactions has run (a REPEATABLE READ snapshot is taken then). */
function onFirstQuery(db: Db, then: () => void): Db {
  return Object.create(db, {
    transaction: {
      value: (fn: (tx: Db) => Promise<unknown>, config?: unknown) =>
        db.transaction((tx) => {
          let fired = false;
          const watched = Object.create(tx, {
            execute: {
              value: async (q: Parameters<Db["execute"]>[0]) => {
                const r = await tx.execute(q);
                if (!fired) (fired = true), then();
                return r;
              },
            },
          }) as Db;
          return fn(watched);
        }, config as never),
    },
  }) as Db;
}

describe(`publishing while others write (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  // regression: publishing ran in one REPEATABLE READ transaction that also appended its audit
  // entry: the chain trigger, reading the last hash in that transaction's snapshot, linked the entry
  // to the head before an entry another session committed meanwhile — "prev_hash" broken
  it.runIf(onPostgres)("an audit entry committed by another session during the publish: the chain stays intact, the record is reproduced", async () => {
    const { dalianStaff, dalianLeader, provinceLeader, shenyangStaff } = w.actors;
    const tr = await pendingTranche(dalianStaff, "40000000.00");
    const p = await makeProject(t.db, shenyangStaff, { startedOn: "2026-01-02" });
    const before = await verifyAuditChain(t.db);
    expect(before.ok).toBe(true);

    // another session: verifies the tranche and signs a project, holding its commit (and the audit
    // lock) until the publisher has taken its snapshot
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let written!: () => void;
    const holding = new Promise<void>((r) => (written = r));
    const writer = t.db.transaction(async (tx) => {
      await verifyTranche(tx, dalianLeader, { id: tr.id, version: tr.version, decision: "verify" });
      await moveProjectStage(tx, shenyangStaff, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-02-01", signedAmount: "500000000.00" });
      written();
      await gate;
    });
    await holding;
    const published = await publishFigures(onFirstQuery(t.db, open), provinceLeader, Q1);
    await writer;

    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
    const cmp = await comparePublished(t.db, provinceLeader, published.id);
    expect(cmp.intact).toBe(true);
    // the record holds the state of its snapshot: neither write; now both count
    expect(cmp.published.pending.domestic_amount).toBe("40000000.00");
    expect(cmp.now.pending.domestic_amount).toBe("0.00");
    expect(cmp.figures.map((f) => f.path)).toEqual(expect.arrayContaining(["domestic.funds", "signed.projects", "pending.tranches"]));
    // … and the same definitions as of its moment give it again, although both writes are dated before it
    expect(cmp.reproducedDifferences).toBe(0);
    // the revisions name the writes committed after the snapshot
    const row = (kind: string, key: string) => cmp.rows.find((r) => r.kind === kind && r.key === key);
    expect(row("tranches", tr.id)).toMatchObject({ change: "added" });
    expect(row("tranches", tr.id)!.changes.map((c) => c.action)).toEqual(["tranche.verify"]);
    expect(row("signings", p.id)).toMatchObject({ change: "added" });
    expect(row("signings", p.id)!.changes.map((c) => c.action)).toEqual(["project.move_stage"]);
  });

  it("compared at once, a publication shows nothing changed and is reproduced", async () => {
    await pendingTranche(w.actors.dalianStaff, "1500000.00");
    const cmp = await comparePublished(t.db, w.actors.provinceLeader, (await publishFigures(t.db, w.actors.provinceLeader, Q1)).id);
    expect(cmp.published.pending.tranches).toBeGreaterThan(0);
    expect([cmp.intact, cmp.reproducedDifferences, cmp.figures, cmp.rows]).toEqual([true, 0, [], []]);
  });

  // regression: reported_at, verified_at and recorded_at came from the application's clock, the
  // audit log's `at` and the publication's moment from the database's. (PGlite's clock is the
  // application's: there the two cannot disagree.)
  it.runIf(onPostgres)("a publication is reproduced whatever the application's clock says", async () => {
    const { dalianStaff, dalianLeader, provinceLeader, shenyangStaff } = w.actors;
    const tr = await pendingTranche(dalianStaff, "7000000.00");
    const p = await makeProject(t.db, shenyangStaff, { startedOn: "2026-01-02" });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 10 * 60_000); // the application's clock ten minutes fast
      await api(dalianLeader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
      const first = await publishFigures(t.db, provinceLeader, Q1);
      vi.setSystemTime(Date.now() - 20 * 60_000); // … then ten minutes slow
      await api(shenyangStaff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-02-01", signedAmount: "90000000.00" });
      const cmp = await comparePublished(t.db, provinceLeader, first.id);
      expect(cmp.intact).toBe(true);
      expect(cmp.reproducedDifferences).toBe(0);
      // the signing after the publication is a revision, not part of the record
      expect(cmp.figures.find((f) => f.path === "signed.projects")).toMatchObject({ published: cmp.published.signed.projects, now: cmp.published.signed.projects + 1 });
      const second = await comparePublished(t.db, provinceLeader, (await publishFigures(t.db, provinceLeader, Q1)).id);
      expect([second.reproducedDifferences, second.figures, second.rows]).toEqual([0, [], []]);
    } finally {
      vi.useRealTimers();
    }
  });

  // regression: the moment was stored through a JS Date, cut to milliseconds
  it("keeps the publication's moment to the microsecond, as the database has it", async () => {
    const pub = await publishFigures(t.db, w.actors.provinceLeader, Q1);
    const [stored] = await queryRows<{ as_of: string; published_at_db: boolean }>(
      t.db,
      sql`select to_char(as_of at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as as_of, published_at >= as_of as published_at_db from published_figures where id = ${pub.id}`,
    );
    const [row] = await t.db.select({ result: publishedFigures.result }).from(publishedFigures).where(eq(publishedFigures.id, pub.id));
    expect((row!.result as { as_of: string }).as_of).toBe(stored!.as_of);
    expect(stored!.as_of).toMatch(/\.\d{6}Z$/);
    expect(stored!.published_at_db).toBe(true);
    const cmp = await comparePublished(t.db, w.actors.provinceLeader, pub.id);
    expect([cmp.intact, cmp.asOf]).toEqual([true, stored!.as_of]);
  });
});

describe("records published before the rows table", () => {
  // they hold their rows in `rows` (only the tranches, the oldest) and hashed the moment to the millisecond
  it("still compare row by row and verify", async () => {
    const { provinceLeader, dalianLeader } = w.actors;
    for (const shape of ["every kind", "tranches only"] as const) {
      const fresh = await publishFigures(t.db, provinceLeader, Q1);
      const [p] = await t.db.select().from(publishedFigures).where(eq(publishedFigures.id, fresh.id));
      const stored = await queryRows<{ kind: string; data: Record<string, unknown> }>(t.db, sql`select kind, data from published_figure_rows where publication_id = ${fresh.id} order by kind, key`);
      const asOf = new Date(p!.asOf.getTime()); // cut to milliseconds, as they were stored
      const byKind = (k: string) => stored.filter((r) => r.kind === k).map((r) => r.data);
      const rows = shape === "tranches only" ? byKind("tranches") : { tranches: byKind("tranches"), pending: byKind("pending"), signings: byKind("signings"), targets: byKind("targets"), units: byKind("units") };
      const params = { unit: "210000", from: Q1.from, to: Q1.to };
      const result = { ...(p!.result as object), as_of: asOf.toISOString() };
      const hash = publicationHash({ definitionVersion: p!.definitionVersion, params, result, rows, asOf: asOf.toISOString() });
      const id = await t.db.transaction(async (tx) => {
        const [row] = await tx.insert(publishedFigures).values({ unitId: p!.unitId, periodFrom: Q1.from, periodTo: Q1.to, asOf, definitionVersion: p!.definitionVersion, params, result, rows, hash, publishedBy: provinceLeader.id, auditHeadSeq: p!.auditHeadSeq, auditHeadHash: p!.auditHeadHash }).returning();
        await writeAudit(tx, { actorId: provinceLeader.id, action: "figures.publish", entityType: "published_figures", entityId: row!.id, unitId: p!.unitId, after: { ...params, hash } });
        return row!.id;
      });
      const cmp = await comparePublished(t.db, provinceLeader, id);
      expect([cmp.intact, cmp.reproducedDifferences, cmp.rows, cmp.legacyRows]).toEqual([true, 0, [], Array.isArray(rows)]);
      // a revision since shows against the rows it kept
      const tr = await pendingTranche(w.actors.dalianStaff, "2500000.00");
      await api(dalianLeader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
      const after = await comparePublished(t.db, provinceLeader, id);
      expect(after.rows.filter((r) => r.key === tr.id).map((r) => [r.kind, r.change])).toEqual([["tranches", "added"]]);
      expect(after.intact).toBe(true);
    }
  });
});
