import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { projects, publishedFigures, stageEvents } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { publicationHash } from "@/server/figures/publish";
import { callerFor, trpcError } from "./helpers";

const Q1 = { from: "2026-01-01", to: "2026-03-31" };
const pause = () => new Promise((r) => setTimeout(r, 25));
const YI = (n: number) => (n * 1e8).toFixed(2);
const WAN = (n: number) => (n * 1e4).toFixed(2);

/** A project signed on `signedOn` for `amount`, with the version to move it again. */
async function signedProject(db: TTestDb["db"], staff: TActor, signedOn: string, amount: string, over = {}) {
  const p = await makeProject(db, staff, { startedOn: "2026-01-02", ...over });
  return callerFor(db, staff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: signedOn, signedAmount: amount });
}
const report = (db: TTestDb["db"], staff: TActor, projectId: string, amount: string, arrivedOn: string) => callerFor(db, staff).funds.report({ projectId, amount, arrivedOn });
const verify = (db: TTestDb["db"], leader: TActor, tr: { id: string; version: number }) => callerFor(db, leader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });

describe(`figures as of a past moment (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  let t: TTestDb;
  let w: TWorld;
  let moment: Date;
  let atMoment: Awaited<ReturnType<ReturnType<typeof callerFor>["figures"]["headline"]>>;
  let monthlyAtMoment: Awaited<ReturnType<ReturnType<typeof callerFor>["figures"]["monthly"]>>;
  let publishedId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDb();
    w = await seedWorld(t.db);
    const { admin, provinceLeader, dalianLeader, dalianStaff, shenyangStaff, zoneStaff } = w.actors;
    const adminApi = callerFor(t.db, admin);
    // --- recorded before the moment
    const a = await signedProject(t.db, zoneStaff, "2026-01-10", YI(9)); // in the zone, which moves later
    await verify(t.db, dalianLeader, await report(t.db, zoneStaff, a.id, YI(1), "2026-02-10"));
    const b = await signedProject(t.db, shenyangStaff, "2026-01-10", YI(4));
    await verify(t.db, provinceLeader, await report(t.db, shenyangStaff, b.id, WAN(4000), "2026-03-01"));
    const c = await signedProject(t.db, dalianStaff, "2026-01-12", YI(5));
    const t1 = await report(t.db, dalianStaff, c.id, WAN(3000), "2026-02-15"); // verified only after the moment
    const d = await signedProject(t.db, dalianStaff, "2026-01-15", YI(2));
    const t2 = await report(t.db, dalianStaff, d.id, WAN(500), "2026-03-05"); // changed, then withdrawn after the moment
    const e = await signedProject(t.db, dalianStaff, "2026-01-20", YI(1));
    await verify(t.db, dalianLeader, await report(t.db, dalianStaff, e.id, WAN(1000), "2026-01-25")); // its project is deleted after
    const f = await signedProject(t.db, dalianStaff, "2026-02-01", YI(3)); // its signing is redone in April after
    const targets = await adminApi.targets.set({
      year: 2026,
      entries: [
        { unitId: w.units.dalian.id, metric: "domestic_funds", value: YI(10), version: null },
        { unitId: w.units.province.id, metric: "domestic_funds", value: YI(20), version: null },
        { unitId: w.units.dandong.id, metric: "domestic_funds", value: "0", version: null }, // 0 = no target
        { unitId: w.units.dalian.id, metric: "signed_projects", value: "10", version: null },
      ],
    });
    expect(targets.changed).toBe(4);
    Object.assign(ids, { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id, f: f.id, t1: t1.id, t2: t2.id });

    const leader = callerFor(t.db, provinceLeader);
    await pause();
    atMoment = await leader.figures.headline({ unit: "210000", ...Q1 });
    monthlyAtMoment = await leader.figures.monthly({ unit: "210000", year: 2026 });
    publishedId = (await leader.figures.publish({ unit: "210000", ...Q1 })).id;
    await pause();
    moment = new Date();
    await pause();

    // --- changed after the moment
    await verify(t.db, dalianLeader, t1);
    const t2b = await callerFor(t.db, dalianStaff).funds.update({ id: t2.id, version: t2.version, amount: WAN(600), arrivedOn: "2026-03-05" });
    await callerFor(t.db, dalianStaff).funds.withdraw({ id: t2.id, version: t2b.version });
    const dalianTargets = await adminApi.targets.list({ unit: "210200", year: 2026 });
    await adminApi.targets.set({
      year: 2026,
      entries: [
        { unitId: w.units.dalian.id, metric: "domestic_funds", value: YI(12), version: dalianTargets[0]!.values.domestic_funds!.version },
        { unitId: w.units.shenyang.id, metric: "domestic_funds", value: YI(5), version: null },
      ],
    });
    // F: the signing taken back, then signed again in April for more
    const fBack = await callerFor(t.db, dalianStaff).projects.moveStage({ id: f.id, version: f.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-03-20", reason: "合同条款重新谈判" });
    await callerFor(t.db, dalianStaff).projects.moveStage({ id: f.id, version: fBack.version, toStage: "signed", toStatus: "active", businessDate: "2026-04-02", signedAmount: YI(3.5) });
    // D: the signing date and amount corrected by a correcting stage event (what an import writes)
    await t.db.insert(stageEvents).values({ projectId: d.id, fromStage: "signed", toStage: "signed", fromStatus: "active", toStatus: "active", businessDate: "2026-03-10", signedAmount: YI(2.5), note: "import" });
    // C: its row changed without an event does not change any figure
    await t.db.update(projects).set({ signedOn: "2026-06-01", signedAmount: "1.00" }).where(eq(projects.id, c.id));
    const g = await signedProject(t.db, shenyangStaff, "2026-03-20", WAN(8000)); // a new signing
    ids.g = g.id;
    const eNow = await callerFor(t.db, dalianStaff).projects.get({ id: e.id });
    await adminApi.projects.delete({ id: e.id, version: eNow.version });
    // the zone moves from Dalian to Shenyang
    const zone = w.units.dlZone;
    await adminApi.units.update({ id: zone.id, version: zone.version, code: zone.code, name: zone.name, kind: "zone", parentId: w.units.shenyang.id });
  }, 120_000);
  afterAll(() => t?.close());

  const leader = () => callerFor(t.db, w.actors.provinceLeader);
  const child = (h: typeof atMoment, code: string) => h.children.find((c) => c.unit === code)!;

  it("as of the moment: exactly the figures shown then, whatever changed since", async () => {
    const asOf = await leader().figures.headline({ unit: "210000", ...Q1, asOf: moment });
    expect(asOf.as_of).toBe(moment.toISOString());
    expect({ ...asOf, as_of: null }).toEqual(atMoment);
    // spelled out: verified A + B + E (deleted since); C's tranche was still pending
    expect(asOf.domestic).toMatchObject({ projects: 3, funds: YI(1.5), target: YI(20), target_progress_pct: "7.5" });
    // pending: C's 3000万 and D's as it was then (500万, changed to 600万 and withdrawn since)
    expect(asOf.pending).toEqual({ tranches: 2, domestic_amount: WAN(3500), foreign_amount: "0.00" });
    // signed then: A 9亿, B 4亿, C 5亿, D 2亿, E 1亿, F 3亿
    expect(asOf.signed).toMatchObject({ projects: 6, domestic_amount: YI(24) });
    // the zone was Dalian's: A counts there; Dalian's target was 10亿; Shenyang had none
    expect(child(asOf, "210200").domestic).toMatchObject({ projects: 2, funds: YI(1.1), target: YI(10), target_progress_pct: "11.0" });
    expect(child(asOf, "210200").signed).toMatchObject({ projects: 5, target: "10", target_progress_pct: "50.0" });
    expect(child(asOf, "210100").domestic).toMatchObject({ projects: 1, funds: WAN(4000), target: null, target_progress_pct: null });
    // a target of 0 is no target
    expect(child(asOf, "210600").domestic).toMatchObject({ target: null, target_progress_pct: null, ahead_pct: null });
  });

  it("now: the changes count, under the unit tree of now", async () => {
    const now = await leader().figures.headline({ unit: "210000", ...Q1 });
    // A + B + C (verified since); E deleted
    expect(now.domestic).toMatchObject({ projects: 3, funds: YI(1.7) });
    expect(now.pending).toEqual({ tranches: 0, domestic_amount: "0.00", foreign_amount: "0.00" });
    // A 9, B 4, C 5 (its row's stray change ignored), D 2.5 (corrected), G 0.8; F moved to April, E deleted
    expect(now.signed).toMatchObject({ projects: 5, domestic_amount: YI(21.3) });
    expect(child(now, "210100").domestic).toMatchObject({ projects: 2, funds: YI(1.4), target: YI(5), target_progress_pct: "28.0" });
    expect(child(now, "210100").signed.projects).toBe(3);
    expect(child(now, "210200").domestic).toMatchObject({ projects: 1, funds: WAN(3000), target: YI(12), target_progress_pct: "2.5" });
    expect(child(now, "210600").domestic).toMatchObject({ target: null, target_progress_pct: null });
    // the zone's own figures as of the moment are those it had under Dalian
    const zone = await leader().figures.headline({ unit: "DL-JKQ", ...Q1, asOf: moment });
    expect(zone.domestic.funds).toBe(YI(1));
  });

  it("as of now equals live, for every figure, every unit and the monthly chart", async () => {
    const later = new Date(Date.now() + 1000);
    for (const unit of ["210000", "210100", "210200", "DL-JKQ", "210600"]) {
      for (const period of [Q1, { from: "2026-01-01", to: "2026-12-31" }, { from: "2026-02-01", to: "2026-02-28" }]) {
        const live = await leader().figures.headline({ unit, ...period });
        const asOfNow = await leader().figures.headline({ unit, ...period, asOf: later });
        expect({ ...asOfNow, as_of: null }, `${unit} ${period.from}`).toEqual(live);
      }
      expect(await leader().figures.monthly({ unit, year: 2026, asOf: later })).toEqual(await leader().figures.monthly({ unit, year: 2026 }));
    }
  });

  it("the monthly chart as of the moment: what was verified then, with the unit tree of then", async () => {
    const asOf = await leader().figures.monthly({ unit: "210000", year: 2026, asOf: moment });
    expect(asOf).toEqual(monthlyAtMoment);
    expect(asOf.domestic.slice(0, 3).map((m) => m.current)).toEqual([WAN(1000), YI(1), WAN(4000)]);
    const dalianThen = await leader().figures.monthly({ unit: "210200", year: 2026, asOf: moment });
    expect(dalianThen.domestic.slice(0, 3).map((m) => m.current)).toEqual([WAN(1000), YI(1), "0"]);
    const dalianNow = await leader().figures.monthly({ unit: "210200", year: 2026 });
    expect(dalianNow.domestic.slice(0, 3).map((m) => m.current)).toEqual(["0", WAN(3000), "0"]);
  });

  it("a published record is reproduced as of its moment, and shows every revision with who made it", async () => {
    const cmp = await leader().figures.compare({ id: publishedId });
    expect(cmp.intact).toBe(true);
    expect(cmp.integrity).toEqual({ content: true, audit: true });
    expect(cmp.reproducedDifferences).toBe(0);
    const fig = (path: string) => cmp.figures.find((f) => f.path === path);
    expect(fig("domestic.funds")).toMatchObject({ published: YI(1.5), now: YI(1.7), kind: "money", currency: "CNY", group: "domestic", field: "funds", child: null });
    expect(fig("children[210200].signed.target")).toBeUndefined();
    expect(fig("children[210100].domestic.target")).toMatchObject({ published: null, now: YI(5), kind: "money", childName: "沈阳市" });
    expect(fig("signed.projects")).toMatchObject({ published: 6, now: 5, kind: "count" });
    expect(fig("children[210200].signed.target_progress_pct")).toMatchObject({ kind: "pct" });

    const row = (kind: string, key: string) => cmp.rows.find((r) => r.kind === kind && r.key === key);
    const who = (r: ReturnType<typeof row>) => r!.changes.map((c) => [c.action, c.actorName]);
    expect(row("tranches", ids.t1!)).toMatchObject({ change: "added" });
    expect(who(row("tranches", ids.t1!))).toContainEqual(["tranche.verify", "李局长"]);
    expect(row("pending", ids.t1!)).toMatchObject({ change: "removed" });
    expect(row("pending", ids.t2!)).toMatchObject({ change: "removed", published: { amount: WAN(500) } });
    expect(who(row("pending", ids.t2!))).toEqual(expect.arrayContaining([["tranche.update", "刘专员"], ["tranche.withdraw", "刘专员"]]));
    const deleted = cmp.rows.filter((r) => r.kind === "tranches" && r.change === "removed");
    expect(deleted.map((r) => r.published)).toEqual([expect.objectContaining({ project_id: ids.e, amount: WAN(1000) })]);
    expect(who(deleted[0])).toContainEqual(["project.delete", "管理员"]);
    expect(row("signings", ids.f!)).toMatchObject({ change: "removed", published: { signed_on: "2026-02-01", signed_amount: YI(3) } });
    expect(who(row("signings", ids.f!))).toEqual([["project.move_stage", "刘专员"], ["project.move_stage", "刘专员"]]);
    expect(row("signings", ids.d!)).toMatchObject({ change: "changed", published: { signed_on: "2026-01-15", signed_amount: YI(2) }, now: { signed_on: "2026-03-10", signed_amount: YI(2.5) } });
    expect(row("signings", ids.g!)).toMatchObject({ change: "added", now: { unit: "210100", signed_amount: WAN(8000) } });
    expect(row("signings", ids.e!)).toMatchObject({ change: "removed" });
    const dalianTarget = cmp.rows.find((r) => r.kind === "targets" && r.published?.unit === "210200" && r.published.metric === "domestic_funds")!;
    expect(dalianTarget).toMatchObject({ change: "changed", published: { value: YI(10) }, now: { value: YI(12) } });
    expect(who(dalianTarget)).toEqual([["target.set", "管理员"]]);
    expect(cmp.rows.find((r) => r.kind === "targets" && r.now?.unit === "210100")).toMatchObject({ change: "added" });
    const zone = row("units", w.units.dlZone.id)!;
    expect(zone).toMatchObject({ change: "changed", published: { parent: "210200" }, now: { parent: "210100" } });
    expect(who(zone)).toEqual([["unit.update", "管理员"]]);
    // the names the page shows instead of ids
    expect(Object.values(cmp.names.units)).toEqual(expect.arrayContaining(["大连市", "沈阳市"]));
  });

  it("published figures are append-only, and a tampered record is detected", async () => {
    const refusal = async (db: TTestDb["db"], q: ReturnType<typeof sql>) => {
      const err = await db.execute(q).then(() => null, (e: unknown) => e);
      return String((err as { cause?: unknown } | null)?.cause ?? err);
    };
    const writes = [
      sql`update published_figures set result = '{}'::jsonb where id = ${publishedId}`,
      sql`delete from published_figures where id = ${publishedId}`,
      sql`update published_figure_rows set data = '{}'::jsonb where publication_id = ${publishedId}`,
      sql`delete from published_figure_rows where publication_id = ${publishedId}`,
      sql`truncate published_figure_rows`,
    ];
    // the application may only read and add; even the tables' owner is refused by the trigger
    for (const q of [...writes, sql`truncate published_figures`]) expect(await refusal(t.db, q)).toMatch(/append-only|permission denied/);
    await t.asOwner(async (db) => {
      for (const q of writes) expect(await refusal(db, q)).toMatch(/published_figure(s|_rows) is append-only/);
      expect(await refusal(db, sql`truncate published_figures`)).toMatch(/append-only|referenced in a foreign key/);
    });
    expect(await t.db.select({ id: publishedFigures.id }).from(publishedFigures)).toHaveLength(1);
    const rowCount = async () => Number((await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from published_figure_rows where publication_id = ${publishedId}`))[0]!.n);
    const storedRows = await rowCount();
    expect(storedRows).toBeGreaterThan(10);

    // someone with the owner's rights switches the trigger off and edits the record
    const tamper = (q: ReturnType<typeof sql>) =>
      t.asOwner(async (db) => {
        await db.execute(sql`alter table published_figures disable trigger published_figures_no_update`);
        try {
          await db.execute(q);
        } finally {
          await db.execute(sql`alter table published_figures enable trigger published_figures_no_update`);
        }
      });
    // a row behind the figures changed, or one removed: the rows no longer give the record's digest
    const tamperRows = (q: ReturnType<typeof sql>) =>
      t.asOwner(async (db) => {
        await db.execute(sql`alter table published_figure_rows disable trigger published_figure_rows_no_update`);
        try {
          await db.execute(q);
        } finally {
          await db.execute(sql`alter table published_figure_rows enable trigger published_figure_rows_no_update`);
        }
      });
    const content = async () => (await leader().figures.compare({ id: publishedId })).integrity.content;
    expect(await content()).toBe(true);
    const [victim] = await queryRows<{ key: string; data: string }>(t.db, sql`select key, data::text as data from published_figure_rows where publication_id = ${publishedId} and kind = 'tranches' order by key limit 1`);
    const one = sql`publication_id = ${publishedId} and kind = 'tranches' and key = ${victim!.key}`;
    await tamperRows(sql`update published_figure_rows set data = jsonb_set(data, '{amount}', '"1.00"') where ${one}`);
    expect((await leader().figures.compare({ id: publishedId })).integrity).toEqual({ content: false, audit: true });
    await tamperRows(sql`update published_figure_rows set data = ${victim!.data}::jsonb where ${one}`);
    expect(await content()).toBe(true);
    await tamperRows(sql`delete from published_figure_rows where ${one}`);
    expect([await rowCount(), await content()]).toEqual([storedRows - 1, false]);
    await t.asOwner((db) => db.execute(sql`insert into published_figure_rows (publication_id, kind, key, data) values (${publishedId}, 'tranches', ${victim!.key}, ${victim!.data}::jsonb)`));
    expect(await content()).toBe(true);

    await tamper(sql`update published_figures set result = jsonb_set(result, '{domestic,funds}', '"999999999.00"') where id = ${publishedId}`);
    let cmp = await leader().figures.compare({ id: publishedId });
    expect(cmp.integrity).toEqual({ content: false, audit: true });
    expect(cmp.intact).toBe(false);
    // … and recomputes the hash so that the content matches it: the audit entry still disagrees
    const [p] = await t.db.select().from(publishedFigures).where(eq(publishedFigures.id, publishedId));
    const forged = publicationHash({ definitionVersion: p!.definitionVersion, params: p!.params, result: p!.result, rows: p!.rows, asOf: cmp.asOf });
    await tamper(sql`update published_figures set hash = ${forged} where id = ${publishedId}`);
    cmp = await leader().figures.compare({ id: publishedId });
    expect(cmp.integrity).toEqual({ content: true, audit: false });
    expect(cmp.intact).toBe(false);
  });
});

describe("figures: scope, publishing rights, pipeline", () => {
  let t: TTestDb;
  let w: TWorld;
  beforeAll(async () => {
    t = await createTestDb();
    w = await seedWorld(t.db);
    for (const [staff, leader, amount, on] of [
      [w.actors.dalianStaff, w.actors.dalianLeader, YI(1), "2026-02-10"],
      [w.actors.shenyangStaff, w.actors.provinceLeader, WAN(4000), "2026-03-01"],
    ] as const) {
      const p = await signedProject(t.db, staff, "2026-01-10", YI(9));
      await verify(t.db, leader, await report(t.db, staff, p.id, amount, on));
    }
  });
  afterAll(() => t?.close());

  it("a city's figures never include another city, and other units' figures are unreachable", async () => {
    const dl = callerFor(t.db, w.actors.dalianLeader);
    expect((await trpcError(dl.figures.headline({ unit: "210000", ...Q1 }))).code).toBe("NOT_FOUND");
    expect((await trpcError(dl.figures.headline({ unit: "210100", ...Q1 }))).code).toBe("NOT_FOUND");
    const own = await dl.figures.headline({ unit: "210200", ...Q1 });
    expect(own.domestic.funds).toBe(YI(1));
    const all = await callerFor(t.db, w.actors.provinceLeader).figures.headline({ unit: "210000", ...Q1 });
    expect(own.domestic).toEqual(all.children.find((c) => c.unit === "210200")!.domestic);
    expect(await callerFor(t.db, w.actors.shenyangStaff).figures.published({})).toEqual([]);
    const pipeline = await callerFor(t.db, w.actors.shenyangStaff).figures.pipeline({ unit: "210100" });
    expect(pipeline.byStage.reduce((s, x) => s + x.total, 0)).toBe(1);
    expect((await trpcError(callerFor(t.db, w.actors.shenyangStaff).figures.monthly({ unit: "210200", year: 2026 }))).code).toBe("NOT_FOUND");
    expect((await trpcError(callerFor(t.db, w.actors.dalianStaff).figures.publish({ unit: "210200", ...Q1 }))).code).toBe("FORBIDDEN");
  });

  it("pipeline: counts per stage, conversion, lists", async () => {
    const p = await callerFor(t.db, w.actors.provinceLeader).figures.pipeline({ unit: "210000" });
    expect(p.byStage.find((s) => s.stage === "funds")!.total).toBe(2);
    expect(p.funnel.map((f) => f.reached)).toEqual([2, 2, 2, 2]);
    expect(p.funnel[2]!.conversionPct).toBe("100.0");
    expect(p.major.rows.map((r) => r.unit_name).sort()).toEqual(["大连市", "沈阳市"]);
  });
});
