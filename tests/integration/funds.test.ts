import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, projects, stageEvents, tranches } from "@/db/schema";
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

async function signedProject(actor: TActor, signedAmount = "200000000") {
  const api = callerFor(t.db, actor);
  const p = await makeProject(t.db, actor, { startedOn: "2026-01-05" });
  return api.projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-02-01", signedAmount });
}

describe("funds tranches", () => {
  it("the first tranche moves a signed project to funds; it counts only once a different leader verifies it", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await signedProject(w.actors.dalianStaff);
    const tr = await staff.funds.report({ projectId: p.id, amount: "50000000", arrivedOn: "2026-03-10", evidenceNo: "YH20260310001" });
    expect(tr.status).toBe("pending");
    const [row] = await t.db.select().from(projects).where(eq(projects.id, p.id));
    expect(row!.stage).toBe("funds");
    expect(row!.stageSince).toBe("2026-03-10");
    const events = await t.db.select().from(stageEvents).where(eq(stageEvents.projectId, p.id));
    expect(events.map((e) => e.toStage).sort()).toEqual(["contact", "funds", "signed"]);

    const staffVerify = await trpcError(staff.funds.verify({ id: tr.id, version: tr.version, decision: "verify" }));
    expect(staffVerify.code).toBe("FORBIDDEN");
    const verified = await callerFor(t.db, w.actors.dalianLeader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
    expect(verified.status).toBe("verified");
    expect(verified.verifiedBy).toBe(w.actors.dalianLeader.id);
    const again = await trpcError(callerFor(t.db, w.actors.provinceLeader).funds.verify({ id: tr.id, version: verified.version, decision: "reject", reason: "重复" }));
    expect(again.code).toBe("CONFLICT");
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, tr.id));
    expect(audit.map((a) => a.action)).toEqual(["tranche.report", "tranche.verify"]);
  });

  it("nobody verifies their own report; a rejection needs a reason", async () => {
    const adminReported = await signedProject(w.actors.dalianStaff);
    const admin = callerFor(t.db, w.actors.admin);
    const tr = await admin.funds.report({ projectId: adminReported.id, amount: "1000000", arrivedOn: "2026-03-01" });
    const own = await trpcError(admin.funds.verify({ id: tr.id, version: tr.version, decision: "verify" }));
    expect(own.code).toBe("FORBIDDEN");
    const noReason = await trpcError(callerFor(t.db, w.actors.provinceLeader).funds.verify({ id: tr.id, version: tr.version, decision: "reject", reason: "" }));
    expect(noReason.code).toBe("BAD_REQUEST");
    const rejected = await callerFor(t.db, w.actors.provinceLeader).funds.verify({ id: tr.id, version: tr.version, decision: "reject", reason: "进账单与金额不符" });
    expect(rejected.status).toBe("rejected");
    expect(rejected.rejectReason).toBe("进账单与金额不符");
  });

  it("refuses funds on a project not yet signed, before signing, in the future, or with a bad amount", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff);
    expect((await trpcError(staff.funds.report({ projectId: p.id, amount: "100", arrivedOn: "2026-03-01" }))).code).toBe("BAD_REQUEST");
    const s = await signedProject(w.actors.dalianStaff);
    for (const bad of [
      { amount: "100", arrivedOn: "2026-01-20" }, // before signing on 2026-02-01
      { amount: "100", arrivedOn: "2099-01-01" },
      { amount: "0", arrivedOn: "2026-03-01" },
      { amount: "1.234", arrivedOn: "2026-03-01" },
      { amount: "-5", arrivedOn: "2026-03-01" },
    ])
      expect((await trpcError(staff.funds.report({ projectId: s.id, ...bad }))).code).toBe("BAD_REQUEST");
  });

  it("submitting the same form twice creates one tranche", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await signedProject(w.actors.dalianStaff);
    const input = { projectId: p.id, amount: "3000000", arrivedOn: "2026-03-02", requestKey: "form-7f3a9c21b0" };
    const [a, b] = await Promise.all([staff.funds.report(input), staff.funds.report(input)].map((x) => x.catch((e: unknown) => e)));
    const ok = [a, b].filter((x) => x && typeof x === "object" && "id" in (x as object)) as Array<{ id: string }>;
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const rows = await t.db.select().from(tranches).where(eq(tranches.projectId, p.id));
    expect(rows).toHaveLength(1);
    const third = await staff.funds.report(input);
    expect(third.id).toBe(rows[0]!.id);
  });

  it("the reporter corrects or withdraws a pending tranche; withdrawing the only one returns the project to signed", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await signedProject(w.actors.dalianStaff);
    const tr = await staff.funds.report({ projectId: p.id, amount: "3000000", arrivedOn: "2026-03-02" });
    const fixed = await staff.funds.update({ id: tr.id, version: tr.version, amount: "3500000", arrivedOn: "2026-03-03", evidenceNo: "JZ001" });
    expect(fixed.amount).toBe("3500000.00");
    const other = await trpcError(callerFor(t.db, w.actors.zoneStaff).funds.withdraw({ id: tr.id, version: fixed.version }));
    expect(other.code).toBe("NOT_FOUND"); // the zone's staff cannot see a city-level project
    await staff.funds.withdraw({ id: tr.id, version: fixed.version });
    const [row] = await t.db.select().from(projects).where(eq(projects.id, p.id));
    expect(row!.stage).toBe("signed");
  });

  it("scope: other cities neither see nor act on a city's tranches", async () => {
    const p = await signedProject(w.actors.dalianStaff);
    const tr = await callerFor(t.db, w.actors.dalianStaff).funds.report({ projectId: p.id, amount: "7000000", arrivedOn: "2026-03-05" });
    const sy = callerFor(t.db, w.actors.shenyangStaff);
    expect((await trpcError(sy.funds.byProject({ projectId: p.id }))).code).toBe("NOT_FOUND");
    expect((await trpcError(sy.funds.report({ projectId: p.id, amount: "1", arrivedOn: "2026-03-05" }))).code).toBe("NOT_FOUND");
    const queue = await sy.funds.queue({});
    expect(queue.rows.map((r) => r.id)).not.toContain(tr.id);
    const dlQueue = await callerFor(t.db, w.actors.dalianLeader).funds.queue({});
    expect(dlQueue.rows.map((r) => r.id)).toContain(tr.id);
    const list = await callerFor(t.db, w.actors.dalianStaff).funds.byProject({ projectId: p.id });
    expect(list[0]!.reportedByName).toBe("刘专员");
  });
});

describe("targets", () => {
  it("leaders set targets for their unit and children; stale edits are refused; staff cannot", async () => {
    const leader = callerFor(t.db, w.actors.dalianLeader);
    const before = await leader.targets.list({ unit: "210200", year: 2026 });
    expect(before.map((r) => r.code)).toEqual(["210200", "DL-JKQ"]);
    await leader.targets.set({ year: 2026, entries: [{ unitId: w.units.dalian.id, metric: "domestic_funds", value: "24040000000", version: null }] });
    const after = await leader.targets.list({ unit: "210200", year: 2026 });
    const cell = after[0]!.values.domestic_funds!;
    expect(cell.value).toBe("24040000000.00");
    const stale = await trpcError(leader.targets.set({ year: 2026, entries: [{ unitId: w.units.dalian.id, metric: "domestic_funds", value: "1", version: null }] }));
    expect(stale.code).toBe("CONFLICT");
    await leader.targets.set({ year: 2026, entries: [{ unitId: w.units.dalian.id, metric: "domestic_funds", value: "25000000000", version: cell.version }] });
    const notMine = await trpcError(leader.targets.set({ year: 2026, entries: [{ unitId: w.units.shenyang.id, metric: "domestic_funds", value: "1", version: null }] }));
    expect(notMine.code).toBe("NOT_FOUND");
    const staff = await trpcError(callerFor(t.db, w.actors.dalianStaff).targets.set({ year: 2026, entries: [{ unitId: w.units.dalian.id, metric: "signed_projects", value: "10", version: null }] }));
    expect(staff.code).toBe("FORBIDDEN");
    const fraction = await trpcError(leader.targets.set({ year: 2026, entries: [{ unitId: w.units.dalian.id, metric: "signed_projects", value: "10.5", version: null }] }));
    expect(fraction.code).toBe("BAD_REQUEST");
  });
});
