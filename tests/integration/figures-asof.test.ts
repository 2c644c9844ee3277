import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { publishedFigures } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import type { TActor } from "@/server/auth/actor";
import { callerFor, trpcError } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const Q1 = { from: "2026-01-01", to: "2026-03-31" };
const pause = () => new Promise((r) => setTimeout(r, 20));

async function fundedProject(staff: TActor, leader: TActor, amount: string, arrivedOn: string, over = {}) {
  const s = callerFor(t.db, staff);
  const p = await makeProject(t.db, staff, { startedOn: "2026-01-02", ...over });
  const signed = await s.projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-01-10", signedAmount: "900000000" });
  const tr = await s.funds.report({ projectId: p.id, amount, arrivedOn });
  await callerFor(t.db, leader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
  return { project: signed, tranche: tr };
}

describe("figures as of a past moment, publishing and revisions", () => {
  it("reproduces what was recorded and verified up to a moment, whatever changed since", async () => {
    const leader = callerFor(t.db, w.actors.provinceLeader);
    const a = await fundedProject(w.actors.dalianStaff, w.actors.dalianLeader, "100000000", "2026-02-10");
    await fundedProject(w.actors.shenyangStaff, w.actors.provinceLeader, "40000000", "2026-03-01");
    await pause();
    const moment = new Date();
    const before = await leader.figures.headline({ unit: "210000", ...Q1 });
    expect(before.domestic.funds).toBe("140000000.00");
    expect(before.domestic.projects).toBe(2);
    await pause();

    // after the moment: a new verified tranche, a pending one, and project A moves to Shenyang
    await fundedProject(w.actors.dalianStaff, w.actors.dalianLeader, "25000000", "2026-03-15");
    const pending = await callerFor(t.db, w.actors.dalianStaff).projects.get({ id: a.project.id });
    await callerFor(t.db, w.actors.admin).projects.update({
      id: pending.id, version: pending.version, name: pending.name, capitalType: "domestic", unitId: w.units.shenyang.id, ownerId: null,
      industry: pending.industry as "advanced_manufacturing", isEmerging: false, sourceChannel: pending.sourceChannel, plannedAmount: pending.plannedAmount, investorId: pending.investorId,
    });

    const now = await leader.figures.headline({ unit: "210000", ...Q1 });
    expect(now.domestic.funds).toBe("165000000.00");
    expect(now.children.find((c) => c.unit === "210100")!.domestic.funds).toBe("140000000.00");

    const asOf = await leader.figures.headline({ unit: "210000", ...Q1, asOf: moment });
    expect(asOf.domestic.funds).toBe("140000000.00");
    expect(asOf.domestic.projects).toBe(2);
    expect(asOf.children.find((c) => c.unit === "210200")!.domestic.funds).toBe("100000000.00");
    expect(asOf.children.find((c) => c.unit === "210100")!.domestic.funds).toBe("40000000.00");
    expect(asOf.as_of).toBe(moment.toISOString());
    // as of now equals the current figures
    const asOfNow = await leader.figures.headline({ unit: "210000", ...Q1, asOf: new Date(Date.now() + 1000) });
    expect({ ...asOfNow, as_of: null }).toEqual(now);
  });

  it("a published record never changes; comparing shows each revision with who made it", async () => {
    const leader = callerFor(t.db, w.actors.dalianLeader);
    const pub = await leader.figures.publish({ unit: "210200", ...Q1 });
    const stored = await t.db.select().from(publishedFigures).where(eq(publishedFigures.id, pub.id));
    await pause();
    const fresh = await fundedProject(w.actors.zoneStaff, w.actors.dalianLeader, "8000000", "2026-02-20");
    const cmp = await leader.figures.compare({ id: pub.id });
    expect(cmp.intact).toBe(true);
    expect(cmp.figures.find((f) => f.path === "domestic.funds")).toMatchObject({ now: expect.any(String) });
    const added = cmp.rows.find((r) => r.kind === "added" && r.now!.id === fresh.tranche.id)!;
    expect(added.now!.amount).toBe("8000000.00");
    expect(added.changes.map((c) => [c.action, c.actorName])).toEqual(
      expect.arrayContaining([["tranche.report", "陈专员"], ["tranche.verify", "李局长"]]),
    );
    const again = await t.db.select().from(publishedFigures).where(eq(publishedFigures.id, pub.id));
    expect(again).toEqual(stored);
    const list = await leader.figures.published({ unit: "210200" });
    expect(list[0]!.id).toBe(pub.id);
    expect(list[0]!.publishedBy).toBe("李局长");
    const staff = await trpcError(callerFor(t.db, w.actors.dalianStaff).figures.publish({ unit: "210200", ...Q1 }));
    expect(staff.code).toBe("FORBIDDEN");
  });

  it("scope: a city's figures never include another city, and other units' figures are unreachable", async () => {
    const dl = callerFor(t.db, w.actors.dalianLeader);
    const province = await trpcError(dl.figures.headline({ unit: "210000", ...Q1 }));
    expect(province.code).toBe("NOT_FOUND");
    const sy = await trpcError(dl.figures.headline({ unit: "210100", ...Q1 }));
    expect(sy.code).toBe("NOT_FOUND");
    const own = await dl.figures.headline({ unit: "210200", ...Q1 });
    const all = await callerFor(t.db, w.actors.provinceLeader).figures.headline({ unit: "210000", ...Q1 });
    expect(own.domestic).toEqual(all.children.find((c) => c.unit === "210200")!.domestic);
    const pubs = await callerFor(t.db, w.actors.shenyangStaff).figures.published({});
    expect(pubs).toEqual([]);
    const pipeline = await callerFor(t.db, w.actors.shenyangStaff).figures.pipeline({ unit: "210100" });
    expect(pipeline.byStage.reduce((s, x) => s + x.total, 0)).toBeGreaterThan(0);
    expect(pipeline.major.rows.every((r) => r.unit_name === "沈阳市")).toBe(true);
    expect((await trpcError(callerFor(t.db, w.actors.shenyangStaff).figures.monthly({ unit: "210200", year: 2026 }))).code).toBe("NOT_FOUND");
  });

  it("pipeline: counts per stage, conversion, lists", async () => {
    const p = await callerFor(t.db, w.actors.provinceLeader).figures.pipeline({ unit: "210000" });
    const total = p.byStage.reduce((s, x) => s + x.total, 0);
    expect(p.funnel[0]!.reached).toBe(total);
    expect(p.funnel[3]!.reached).toBe(p.byStage.find((s) => s.stage === "funds")!.total);
    expect(Number(p.funnel[2]!.conversionPct)).toBeGreaterThan(0);
    const monthly = await callerFor(t.db, w.actors.provinceLeader).figures.monthly({ unit: "210000", year: 2026 });
    expect(monthly.domestic).toHaveLength(12);
    expect(monthly.domestic.find((m) => m.month === 2)!.current).not.toBe("0");
  });
});
