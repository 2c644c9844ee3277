// 统计期锁定: a leader or admin locks a month or quarter for a unit subtree; every write that would
// change a figure of that period is refused in the service layer, whatever path it comes from
// (procedure, import, direct service call as the CLI makes), until an admin reopens it.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { openPglite, type Db } from "@/db/client";
import { auditLog, investors, periodLocks, projects, stageEvents, targets, tranches, units, users } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, makeProject, projectInput, seedWorld, type TWorld } from "@/db/testing/factories";
import { todayCN } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { importFile } from "@/server/imports/import-file";
import { AppError, type TMessage } from "@/server/lib/errors";
import { translate } from "@/server/lib/i18n";
import { lockPeriod } from "@/server/locks/lock-period";
import { reopenLock } from "@/server/locks/reopen-lock";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import type { TCreateProject } from "@/server/projects/project-fields";
import { auditCount, dataFingerprint } from "../security/world";
import { callerFor, httpCall, trpcError, utf8 } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const api = (actor: TActor) => callerFor(t.db, actor);

type TLockInput = { unit: string; kind: "month" | "quarter"; year: number; n: number };
/** Lock through the procedure; the lock is reopened when the test ends, so tests stay independent. */
async function lock(actor: TActor, input: TLockInput) {
  const row = await api(actor).locks.lock(input);
  onTestFinished(async () => {
    const [now] = await t.db.select().from(periodLocks).where(eq(periodLocks.id, row.id));
    if (now && !now.reopenedAt) await reopenLock(t.db, w.actors.admin, { id: now.id, version: now.version, reason: "测试结束解锁" });
  });
  return row;
}

type TSignOpts = Partial<TCreateProject> & { signedOn?: string };
/** A signed project (through negotiation), created before any lock of its dates. */
async function signed(actor: TActor, o: TSignOpts = {}) {
  const { signedOn = "2026-01-10", ...over } = o;
  const p = await makeProject(t.db, actor, { startedOn: "2026-01-05", stage: "negotiation", ...over });
  return api(actor).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: signedOn, signedAmount: "200000000" });
}
const report = (actor: TActor, projectId: string, arrivedOn: string, amount = "1000000") => api(actor).funds.report({ projectId, amount, arrivedOn });
async function verified(reporter: TActor, verifier: TActor, projectId: string, arrivedOn: string) {
  const tr = await report(reporter, projectId, arrivedOn);
  return api(verifier).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
}

/** The refusal of a locked period: its code and the message (key and values) that names the lock. */
async function lockedBy(p: Promise<unknown>): Promise<TMessage> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the write to be refused by a period lock").not.toBeNull();
  const app = err instanceof TRPCError ? err.cause : err;
  expect(app).toBeInstanceOf(AppError);
  expect((app as AppError).code).toBe("LOCKED");
  if (err instanceof TRPCError) expect(err.code).toBe("PRECONDITION_FAILED");
  return (app as AppError).msg;
}
const q1Dalian = (by: TActor, at: Date) => ({
  key: "errors.lock.locked",
  values: { unit: "大连市", kind: "quarter", year: "2026", n: "1", by: by.name, at: todayCN(at) },
});

async function trancheRow(id: string) {
  return (await t.db.select().from(tranches).where(eq(tranches.id, id)))[0];
}
async function projectRow(id: string) {
  return (await t.db.select().from(projects).where(eq(projects.id, id)))[0]!;
}

describe("locking and reopening", () => {
  it("a leader locks an ended month or quarter of a unit in scope, audited; not twice, not a running period, not staff, not out of scope", async () => {
    const leader = api(w.actors.dalianLeader);
    expect((await trpcError(api(w.actors.dalianStaff).locks.lock({ unit: "210200", kind: "quarter", year: 2026, n: 1 }))).code).toBe("FORBIDDEN");
    await expect(lockPeriod(t.db, w.actors.dalianStaff, { unit: "210200", kind: "quarter", year: 2026, n: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await trpcError(leader.locks.lock({ unit: "210100", kind: "quarter", year: 2026, n: 1 }))).code).toBe("NOT_FOUND");

    const row = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    expect(row).toMatchObject({ unitId: w.units.dalian.id, kind: "quarter", periodStart: "2026-01-01", periodEnd: "2026-03-31", lockedBy: w.actors.dalianLeader.id, reopenedAt: null });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, row.id), eq(auditLog.action, "period.lock")));
    expect(audit).toMatchObject({ actorId: w.actors.dalianLeader.id, entityType: "period_lock", unitId: w.units.dalian.id });
    expect(audit!.after).toMatchObject({ id: row.id, periodStart: "2026-01-01", periodEnd: "2026-03-31" });

    const dup = await trpcError(leader.locks.lock({ unit: "210200", kind: "quarter", year: 2026, n: 1 }));
    expect(dup.code).toBe("CONFLICT");
    expect((dup.cause as AppError).msg).toEqual({ key: "errors.lock.duplicate", values: { unit: "大连市", kind: "quarter", year: "2026", n: "1" } });
    // a month inside the locked quarter is another lock (it stays if the quarter is reopened)
    await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2026, n: 2 });

    const today = todayCN();
    const running = { unit: "210200", kind: "quarter" as const, year: Number(today.slice(0, 4)), n: Math.ceil(Number(today.slice(5, 7)) / 3) };
    const e = await trpcError(leader.locks.lock(running));
    expect(e.code).toBe("BAD_REQUEST");
    expect((e.cause as AppError).fields).toEqual({ n: { key: "errors.lock.notEnded" } });
    expect((await trpcError(leader.locks.lock({ unit: "210200", kind: "quarter", year: 2026, n: 5 }))).code).toBe("BAD_REQUEST");
  });

  it("only an admin reopens, with a reason; reopening and relocking are audited and the history stays listed", async () => {
    const row = await lock(w.actors.provinceLeader, { unit: "210000", kind: "month", year: 2025, n: 11 });
    expect((await trpcError(api(w.actors.provinceLeader).locks.reopen({ id: row.id, version: row.version, reason: "数据更正" }))).code).toBe("FORBIDDEN");
    await expect(reopenLock(t.db, w.actors.dalianLeader, { id: row.id, version: row.version, reason: "数据更正" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const noReason = await trpcError(api(w.actors.admin).locks.reopen({ id: row.id, version: row.version, reason: " " }));
    expect(noReason.code).toBe("BAD_REQUEST");

    const reopened = await api(w.actors.admin).locks.reopen({ id: row.id, version: row.version, reason: "大连市补录一笔到位资金" });
    expect(reopened).toMatchObject({ reopenedBy: w.actors.admin.id, reopenReason: "大连市补录一笔到位资金", version: row.version + 1 });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, row.id), eq(auditLog.action, "period.reopen")));
    expect(audit).toMatchObject({ actorId: w.actors.admin.id, entityType: "period_lock" });
    expect(audit!.before).toMatchObject({ reopenedAt: null });
    expect(audit!.after).toMatchObject({ reopenReason: "大连市补录一笔到位资金" });
    expect((await trpcError(api(w.actors.admin).locks.reopen({ id: row.id, version: row.version, reason: "再次" }))).code).toBe("CONFLICT");
    const twice = await trpcError(api(w.actors.admin).locks.reopen({ id: row.id, version: reopened.version, reason: "再次" }));
    expect((twice.cause as AppError).msg.key).toBe("errors.lock.alreadyReopened");

    // locked again: a new lock, the reopened one stays in the history
    const again = await lock(w.actors.provinceLeader, { unit: "210000", kind: "month", year: 2025, n: 11 });
    expect(again.id).not.toBe(row.id);
    const list = await api(w.actors.dalianStaff).locks.list({ from: "2025-11-01", to: "2025-11-30" });
    expect(list.map((l) => [l.id, l.active])).toEqual([
      [again.id, true],
      [row.id, false],
    ]);
    expect(list[1]).toMatchObject({ unitName: "辽宁省", lockedByName: "王厅长", reopenedByName: "管理员", reopenReason: "大连市补录一笔到位资金", inScope: false });
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, again.id), eq(auditLog.action, "period.lock")))).toHaveLength(1);
  });

  it("lists the locks in scope and those above the unit; a unit filter shows what binds the unit and what lies below it", async () => {
    const province = await lock(w.actors.admin, { unit: "210000", kind: "month", year: 2025, n: 3 });
    const dalian = await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 3 });
    const zone = await lock(w.actors.dalianLeader, { unit: "DL-JKQ", kind: "month", year: 2025, n: 3 });
    const shenyang = await lock(w.actors.provinceLeader, { unit: "210100", kind: "month", year: 2025, n: 3 });
    const march = { from: "2025-03-01", to: "2025-03-31" };
    const ids = async (actor: TActor, more: { unit?: string } = {}) => (await api(actor).locks.list({ ...march, ...more })).map((l) => l.id).sort();

    expect(await ids(w.actors.zoneStaff)).toEqual([province.id, dalian.id, zone.id].sort());
    expect(await ids(w.actors.shenyangStaff)).toEqual([province.id, shenyang.id].sort());
    expect(await ids(w.actors.provinceLeader)).toEqual([province.id, dalian.id, zone.id, shenyang.id].sort());
    expect(await ids(w.actors.provinceLeader, { unit: "210200" })).toEqual([province.id, dalian.id, zone.id].sort());
    // a unit outside the scope (even the city above) answers like a missing one: nothing
    expect(await ids(w.actors.zoneStaff, { unit: "210200" })).toEqual([]);
    expect(await ids(w.actors.dalianStaff, { unit: "210100" })).toEqual([]);
    expect(await ids(w.actors.provinceLeader, { unit: "NOPE" })).toEqual([]);
    expect((await api(w.actors.provinceLeader).locks.list({ unit: "210100", from: "2025-04-01", to: "2025-12-31" })).map((l) => l.id)).not.toContain(shenyang.id);
    const active = await api(w.actors.dalianStaff).locks.list({ ...march, status: "active" });
    expect(active.every((l) => l.active)).toBe(true);
  });
});

describe("funds tranches in a locked period", () => {
  it("report, edit, verify, reject and withdraw inside a locked quarter are refused, naming the lock; outside it they work; after reopening they work", async () => {
    const staff = w.actors.dalianStaff;
    const leader = w.actors.dalianLeader;
    const p = await signed(staff);
    const toEdit = await report(staff, p.id, "2026-02-01");
    const toVerify = await report(staff, p.id, "2026-02-05");
    const toReject = await report(staff, p.id, "2026-03-01");
    const toWithdraw = await report(staff, p.id, "2026-02-10");
    const outside = await report(staff, p.id, "2026-04-10");
    const l = await lock(leader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const named = q1Dalian(leader, l.lockedAt);
    const before = await dataFingerprint(t.db);

    expect(await lockedBy(report(staff, p.id, "2026-03-15"))).toEqual(named);
    expect(await lockedBy(api(staff).funds.update({ id: toEdit.id, version: toEdit.version, amount: "2000000", arrivedOn: "2026-04-05" }))).toEqual(named);
    expect(await lockedBy(api(staff).funds.update({ id: outside.id, version: outside.version, amount: "2000000", arrivedOn: "2026-03-30" }))).toEqual(named);
    expect(await lockedBy(api(leader).funds.verify({ id: toVerify.id, version: toVerify.version, decision: "verify" }))).toEqual(named);
    expect(await lockedBy(api(leader).funds.verify({ id: toReject.id, version: toReject.version, decision: "reject", reason: "进账单不符" }))).toEqual(named);
    expect(await lockedBy(api(staff).funds.withdraw({ id: toWithdraw.id, version: toWithdraw.version }))).toEqual(named);
    expect(await dataFingerprint(t.db)).toBe(before); // nothing written, not even an audit entry

    // outside the quarter nothing changes
    const added = await report(staff, p.id, "2026-04-02");
    const moved = await api(staff).funds.update({ id: outside.id, version: outside.version, amount: "2000000", arrivedOn: "2026-04-11" });
    expect(moved.arrivedOn).toBe("2026-04-11");
    await api(leader).funds.verify({ id: added.id, version: added.version, decision: "verify" });

    await api(w.actors.admin).locks.reopen({ id: l.id, version: l.version, reason: "补充核实一季度资金" });
    const ok = await api(leader).funds.verify({ id: toVerify.id, version: toVerify.version, decision: "verify" });
    expect(ok.status).toBe("verified");
    await api(staff).funds.withdraw({ id: toWithdraw.id, version: toWithdraw.version });
    expect(await trancheRow(toWithdraw.id)).toBeUndefined();
  });

  it("says it in the user's language", async () => {
    const staff = w.actors.dalianStaff;
    const p = await signed(staff, { signedOn: "2025-10-10", startedOn: "2025-10-01" });
    const l = await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 10 });
    const at = todayCN(l.lockedAt);
    const zh = await httpCall(t.db, staff, "zh-CN", "funds.report", { projectId: p.id, amount: "100", arrivedOn: "2025-10-20" });
    expect(zh.status).toBe(412);
    expect(zh.error!.message).toBe(`统计期已锁定：大连市 2025年10月（李局长 于 ${at} 锁定），不能修改该期数据；如需更正请管理员先解锁`);
    const en = await httpCall(t.db, staff, "en", "funds.report", { projectId: p.id, amount: "100", arrivedOn: "2025-10-20" });
    expect(en.error!.message).toBe(`Period locked: 大连市, October 2025 (locked by 李局长 on ${at}). Its figures cannot be changed; to correct them, ask an administrator to reopen the period first.`);
    expect(translate("en", "errors.lock.locked", { unit: "辽宁省", kind: "quarter", year: "2026", n: "1", by: "王建国", at: "2026-04-10" })).toContain("辽宁省, Q1 2026 (locked by 王建国 on 2026-04-10)");
    expect(translate("zh-CN", "errors.lock.locked", { unit: "辽宁省", kind: "quarter", year: "2026", n: "1", by: "王建国", at: "2026-04-10" })).toBe(
      "统计期已锁定：辽宁省 2026年第1季度（王建国 于 2026-04-10 锁定），不能修改该期数据；如需更正请管理员先解锁",
    );
  });

  it("a province lock binds every city and zone; a city's lock binds only its own subtree", async () => {
    const zoneP = await signed(w.actors.zoneStaff, { signedOn: "2026-04-20", startedOn: "2026-04-01" });
    const syP = await signed(w.actors.shenyangStaff, { signedOn: "2026-04-20", startedOn: "2026-04-01" });
    const l = await lock(w.actors.admin, { unit: "210000", kind: "month", year: 2026, n: 5 });
    const named = { key: "errors.lock.locked", values: { unit: "辽宁省", kind: "month", year: "2026", n: "5", by: "管理员", at: todayCN(l.lockedAt) } };
    expect(await lockedBy(report(w.actors.zoneStaff, zoneP.id, "2026-05-10"))).toEqual(named);
    expect(await lockedBy(report(w.actors.shenyangStaff, syP.id, "2026-05-31"))).toEqual(named);
    await report(w.actors.shenyangStaff, syP.id, "2026-06-01");

    await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2026, n: 6 });
    expect((await lockedBy(report(w.actors.zoneStaff, zoneP.id, "2026-06-05"))).values!.unit).toBe("大连市");
    await report(w.actors.shenyangStaff, syP.id, "2026-06-05"); // another city: not bound
  });
});

describe("stage events in a locked period", () => {
  it("a stage move dated inside is refused (and a new project's first event); dated after it, allowed", async () => {
    const staff = w.actors.dalianStaff;
    const p = await makeProject(t.db, staff, { startedOn: "2025-07-01" });
    const l = await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 7 });
    const named = { key: "errors.lock.locked", values: { unit: "大连市", kind: "month", year: "2025", n: "7", by: "李局长", at: todayCN(l.lockedAt) } };
    const move = { id: p.id, version: p.version, toStage: "negotiation" as const, toStatus: "active" as const };
    expect(await lockedBy(api(staff).projects.moveStage({ ...move, businessDate: "2025-07-15" }))).toEqual(named);
    expect(await t.db.select().from(stageEvents).where(eq(stageEvents.projectId, p.id))).toHaveLength(1);
    expect(await lockedBy(api(staff).projects.create(projectInput(w.units.dalian.id, { startedOn: "2025-07-03" })))).toEqual(named);
    const n = await api(staff).projects.moveStage({ ...move, businessDate: "2025-08-03" });
    expect(n.stage).toBe("negotiation");
  });

  it("cancelling a signing dated inside a locked period is refused, whatever the date of the cancellation", async () => {
    const staff = w.actors.dalianStaff;
    const p = await signed(staff, { signedOn: "2025-08-20", startedOn: "2025-08-01" });
    await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 8 });
    const back = api(staff).projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2025-09-10", reason: "投资方撤回签约" });
    expect((await lockedBy(back)).values).toMatchObject({ n: "8" });
    expect((await projectRow(p.id)).signedOn).toBe("2025-08-20");
  });

  it("the first tranche's automatic move to `funds` is dated in the period: refused with it", async () => {
    const staff = w.actors.dalianStaff;
    const p = await signed(staff, { signedOn: "2025-09-02", startedOn: "2025-09-01" });
    await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 9 });
    await lockedBy(report(staff, p.id, "2025-09-20"));
    expect((await projectRow(p.id)).stage).toBe("signed");
    expect(await t.db.select().from(stageEvents).where(and(eq(stageEvents.projectId, p.id), eq(stageEvents.toStage, "funds")))).toEqual([]);
  });
});

describe("what a project counts as, in a locked period", () => {
  /** A Dalian project with verified funds in Q1 2026. */
  async function fundedInQ1() {
    const p = await signed(w.actors.dalianStaff);
    await verified(w.actors.dalianStaff, w.actors.dalianLeader, p.id, "2026-02-01");
    return projectRow(p.id);
  }
  const edit = (p: typeof projects.$inferSelect, over: Record<string, unknown>) => ({
    ...projectInput(p.unitId),
    id: p.id,
    version: p.version,
    investorId: p.investorId,
    name: p.name,
    capitalType: p.capitalType,
    unitId: p.unitId,
    ...over,
  });

  it("moving a project with verified funds in the period to another unit is refused, for the unit it leaves and the one it joins", async () => {
    const p = await fundedInQ1();
    const sy = await lock(w.actors.provinceLeader, { unit: "210100", kind: "quarter", year: 2026, n: 1 });
    const admin = api(w.actors.admin);
    // joins a locked unit
    expect((await lockedBy(admin.projects.update(edit(p, { unitId: w.units.shenyang.id })))).values!.unit).toBe("沈阳市");
    await admin.locks.reopen({ id: sy.id, version: sy.version, reason: "沈阳市数据更正" });
    // leaves a locked unit
    const dl = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    expect((await lockedBy(admin.projects.update(edit(p, { unitId: w.units.dandong.id })))).values!.unit).toBe("大连市");
    expect((await projectRow(p.id)).unitId).toBe(w.units.dalian.id);
    // other edits are not figures
    const renamed = await admin.projects.update(edit(p, { name: "改名后的项目名称" }));
    expect(renamed.name).toBe("改名后的项目名称");
    // nor is deleting it allowed: it would leave the period's figures
    expect((await lockedBy(admin.projects.delete({ id: p.id, version: renamed.version }))).values!.unit).toBe("大连市");
    await admin.locks.reopen({ id: dl.id, version: dl.version, reason: "大连市数据更正" });
    const moved = await admin.projects.update(edit(await projectRow(p.id), { unitId: w.units.dandong.id }));
    expect(moved.unitId).toBe(w.units.dandong.id);
  });

  it("changing the capital type of a project signed in the period is refused", async () => {
    const p = await signed(w.actors.dalianStaff, { signedOn: "2025-06-15", startedOn: "2025-06-01" });
    await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 6 });
    const row = await projectRow(p.id);
    expect((await lockedBy(api(w.actors.dalianStaff).projects.update(edit(row, { capitalType: "foreign" })))).values!.n).toBe("6");
    expect((await projectRow(p.id)).capitalType).toBe("domestic");
  });

  it("an investor's origin change that reclassifies a project with verified funds in the period is refused; nothing is written", async () => {
    const p = await fundedInQ1();
    expect(p.originClass).toBe("out_of_province");
    const [inv] = await t.db.select().from(investors).where(eq(investors.id, p.investorId));
    await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const audits = await auditCount(t.db);
    const update = { id: inv!.id, version: inv!.version, name: inv!.name, creditCode: null, originRegion: "210100", originCountry: null };
    expect((await lockedBy(api(w.actors.dalianStaff).investors.update(update))).values!.unit).toBe("大连市");
    expect((await t.db.select().from(investors).where(eq(investors.id, inv!.id)))[0]!.originRegion).toBe("320000");
    expect((await projectRow(p.id)).originClass).toBe("out_of_province");
    expect(await auditCount(t.db)).toBe(audits);
    // a correction of the name only is not a figure
    await api(w.actors.dalianStaff).investors.update({ ...update, originRegion: "320000", name: `${inv!.name}（更正）` });
  });

  it("an origin change touching another city's project is refused on scope, before any lock is named", async () => {
    const dl = await signed(w.actors.dalianStaff, { investor: { newInvestor: { name: "苏州跨市投资有限公司", originRegion: "320000" } } });
    const sy = await signed(w.actors.admin, { unitId: w.units.shenyang.id, investor: { investorId: dl.investorId } });
    await verified(w.actors.shenyangStaff, w.actors.provinceLeader, sy.id, "2026-03-03");
    const l = await lock(w.actors.provinceLeader, { unit: "210100", kind: "quarter", year: 2026, n: 1 });
    const [inv] = await t.db.select().from(investors).where(eq(investors.id, dl.investorId));
    const update = { id: inv!.id, version: inv!.version, name: inv!.name, creditCode: null, originRegion: "210200", originCountry: null };
    const e = await trpcError(api(w.actors.dalianStaff).investors.update(update));
    expect((e.cause as AppError).msg).toEqual({ key: "errors.investor.sharedOutsideScope" });
    // the province leader's admin sees both projects: the lock is named to them
    expect((await lockedBy(api(w.actors.admin).investors.update(update))).values).toMatchObject({ unit: "沈阳市", n: "1", by: "王厅长", at: todayCN(l.lockedAt) });
  });

  // regression: switching the investor re-derived the origin class without a lock check (a Dalian
  // project with verified Q1 funds went out_of_province → out_of_city under a Dalian Q1 lock)
  it("switching a project's investor that changes its origin class is refused in a locked period; an investor of the same class is not", async () => {
    const p = await fundedInQ1();
    expect(p.originClass).toBe("out_of_province");
    const sameCity = await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "沈阳来连投资有限公司", originRegion: "210100" } } });
    const sameClass = await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "浙江来连投资有限公司", originRegion: "330000" } } });
    const l = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const before = await dataFingerprint(t.db);
    expect(await lockedBy(api(w.actors.dalianStaff).projects.update(edit(p, { investorId: sameCity.investorId })))).toEqual(q1Dalian(w.actors.dalianLeader, l.lockedAt));
    expect(await dataFingerprint(t.db)).toBe(before);
    expect((await projectRow(p.id)).originClass).toBe("out_of_province");
    const ok = await api(w.actors.dalianStaff).projects.update(edit(p, { investorId: sameClass.investorId }));
    expect([ok.investorId, ok.originClass]).toEqual([sameClass.investorId, "out_of_province"]);
  });
});

describe("moving a unit, in a locked period", () => {
  /** A fresh zone under 大连 with a project of a Dalian investor, verified funds in Q1 2026. */
  async function zoneWithFunds(code: string) {
    const admin = api(w.actors.admin);
    const zone = await admin.units.create({ code, name: `测试园区${code}`, kind: "zone", parentId: w.units.dalian.id });
    const park = await admin.units.create({ code: `${code}-1`, name: `测试园区${code}一园`, kind: "zone", parentId: zone.id });
    const p = await signed(w.actors.admin, { unitId: park.id, investor: { newInvestor: { name: `大连本地${code}投资有限公司`, originRegion: "210200" } } });
    await verified(w.actors.admin, w.actors.provinceLeader, p.id, "2026-02-15");
    return { zone, park, project: await projectRow(p.id) };
  }
  const move = (zone: { id: string; version: number; code: string; name: string }, parentId: string) =>
    api(w.actors.admin).units.update({ id: zone.id, version: zone.version, code: zone.code, name: zone.name, kind: "zone", parentId });

  // regression: with the province locked for Q1, moving 金普新区 from 大连 to 丹东 dropped Dalian's Q1 funds
  it("is refused while the unit it leaves or the one it joins (or an ancestor) is locked for a period its funds count in", async () => {
    const { zone, park, project } = await zoneWithFunds("LKMV1");
    expect(project.originClass).toBe("local");
    const province = await lock(w.actors.admin, { unit: "210000", kind: "quarter", year: 2026, n: 1 });
    const before = await dataFingerprint(t.db);
    expect((await lockedBy(move(zone, w.units.dandong.id))).values).toMatchObject({ unit: "辽宁省", n: "1" });
    expect(await dataFingerprint(t.db)).toBe(before);
    await api(w.actors.admin).locks.reopen({ id: province.id, version: province.version, reason: "调整区划" });
    const dandong = await lock(w.actors.admin, { unit: "210600", kind: "month", year: 2026, n: 2 });
    expect((await lockedBy(move(zone, w.units.dandong.id))).values).toMatchObject({ unit: "丹东市", kind: "month", n: "2" });
    await api(w.actors.admin).locks.reopen({ id: dandong.id, version: dandong.version, reason: "调整区划" });
    const dalian = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    expect((await lockedBy(move(zone, w.units.dandong.id))).values).toMatchObject({ unit: "大连市" });
    await api(w.actors.admin).locks.reopen({ id: dalian.id, version: dalian.version, reason: "调整区划" });
    // a lock of another period does not stand in the way
    await lock(w.actors.admin, { unit: "210000", kind: "quarter", year: 2025, n: 4 });
    const moved = await move(zone, w.units.dandong.id);
    expect(moved.path).toBe(`210000/210600/${zone.code}/`);
    expect((await projectRow(project.id)).unitId).toBe(park.id);
  });

  it("an import moving the unit is refused the same way: a row error in the preview, and again inside the transaction", async () => {
    const { zone, park } = await zoneWithFunds("LKMV3");
    const file = utf8(`code,name,parent_code\r\n${zone.code},${zone.name},210600`);
    const l = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const before = await dataFingerprint(t.db);
    const r = await importFile(t.db, w.actors.admin, { kind: "units", bytes: file, dryRun: false });
    expect([r.applied, r.errors]).toEqual([false, [{ row: 2, column: "parent_code", message: q1Dalian(w.actors.dalianLeader, l.lockedAt) }]]);
    expect(await dataFingerprint(t.db)).toBe(before);
    await api(w.actors.admin).locks.reopen({ id: l.id, version: l.version, reason: "调整区划" });
    // the lock lands between the preview and the write transaction
    const racing = Object.create(t.db, {
      transaction: {
        value: async (fn: (tx: Db) => Promise<unknown>) => {
          await lock(w.actors.admin, { unit: "210600", kind: "month", year: 2026, n: 2 });
          return t.db.transaction(fn);
        },
      },
    }) as Db;
    expect((await lockedBy(importFile(racing, w.actors.admin, { kind: "units", bytes: file, dryRun: false }))).values).toMatchObject({ unit: "丹东市", kind: "month", n: "2" });
    const [parkNow] = await t.db.select().from(units).where(eq(units.id, park.id));
    expect([parkNow!.path, parkNow!.version]).toEqual([park.path, park.version]);
    // into a unit the same file creates: the lock of the unit above it binds
    const viaNew = await importFile(t.db, w.actors.admin, { kind: "units", bytes: utf8(`code,name,parent_code\r\n${zone.code},${zone.name},LKMV3-N\r\nLKMV3-N,新建园区LKMV3,210600`), dryRun: true });
    expect(viaNew.errors.map((e) => [e.row, e.column, e.message.values?.unit])).toEqual([[2, "parent_code", "丹东市"]]);
  });

  it("bumps the version of every unit whose path changes and re-derives its projects' origin class, all audited", async () => {
    const { zone, park, project } = await zoneWithFunds("LKMV2");
    const moved = await move(zone, w.units.dandong.id);
    const [parkNow] = await t.db.select().from(units).where(eq(units.id, park.id));
    expect(parkNow).toMatchObject({ path: `210000/210600/${zone.code}/${park.code}/`, version: park.version + 1 });
    // a stale page of the park is refused, never applied over the new path
    expect((await trpcError(api(w.actors.admin).units.update({ id: park.id, version: park.version, code: park.code, name: "改名", kind: "zone", parentId: zone.id }))).code).toBe("CONFLICT");

    const zoneAudit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, zone.id), eq(auditLog.action, "unit.update")));
    expect(zoneAudit).toHaveLength(1);
    expect(zoneAudit[0]!.before).toMatchObject({ parentId: w.units.dalian.id, path: `210000/210200/${zone.code}/` });
    expect(zoneAudit[0]!.after).toMatchObject({ parentId: w.units.dandong.id, path: moved.path });
    const parkAudit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, park.id), eq(auditLog.action, "unit.update")));
    expect(parkAudit).toHaveLength(1);
    expect(parkAudit[0]!.before).toMatchObject({ parentId: zone.id, path: `210000/210200/${zone.code}/${park.code}/` });
    expect(parkAudit[0]!.after).toMatchObject({ parentId: zone.id, path: parkNow!.path, version: park.version + 1 });

    // a 大连 investor's project now lies in 丹东: out of city, no longer local
    const p = await projectRow(project.id);
    expect([p.originClass, p.version]).toEqual(["out_of_city", project.version + 1]);
    const [reclass] = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, project.id), eq(auditLog.action, "project.reclassify_origin")));
    expect(reclass!.before).toMatchObject({ originClass: "local" });
    expect(reclass!.after).toMatchObject({ originClass: "out_of_city" });
  });
});

describe("annual targets, in a locked period", () => {
  it("a target change of a unit is refused while a lock of the unit or an ancestor is active in that year, naming it", async () => {
    const admin = api(w.actors.admin);
    const set = (unitId: string, value: string, version: number | null, year = 2026) =>
      admin.targets.set({ year, entries: [{ unitId, metric: "domestic_funds", value, version }] });
    await set(w.units.dandong.id, "1000000000", null);
    const current = async (unitId: string, year = 2026) => (await t.db.select().from(targets).where(and(eq(targets.unitId, unitId), eq(targets.year, year))))[0]!;
    const l = await lock(w.actors.provinceLeader, { unit: "210000", kind: "month", year: 2026, n: 4 });
    const before = await dataFingerprint(t.db);
    const msg = await lockedBy(set(w.units.dandong.id, "2000000000", (await current(w.units.dandong.id)).version));
    expect(msg).toEqual({ key: "errors.lock.targetLocked", values: { unit: "辽宁省", kind: "month", year: "2026", n: "4", by: "王厅长", at: todayCN(l.lockedAt) } });
    expect(translate("zh-CN", msg.key, msg.values)).toContain("辽宁省 2026年4月");
    // a new target in that year too
    expect((await lockedBy(set(w.units.shenyang.id, "5", null))).key).toBe("errors.lock.targetLocked");
    expect(await dataFingerprint(t.db)).toBe(before);
    // another year is free; an unchanged value is no change
    await set(w.units.dandong.id, "3000000000", null, 2027);
    expect((await set(w.units.dandong.id, "1000000000.00", (await current(w.units.dandong.id)).version)).changed).toBe(0);
    // a lock of a unit below binds only that unit's target (its progress); the city's own is free
    await api(w.actors.admin).locks.reopen({ id: l.id, version: l.version, reason: "调整指标" });
    await lock(w.actors.dalianLeader, { unit: "DL-JKQ", kind: "quarter", year: 2026, n: 2 });
    await set(w.units.dalian.id, "7000000000", null);
    expect((await lockedBy(set(w.units.dlZone.id, "100", null))).values).toMatchObject({ unit: "大连金普新区" });
  });

  it("a targets import is refused the same way: a row error naming the lock in the preview, and again inside the transaction", async () => {
    const file = (value: string, year: number) => utf8(`单位,年度,指标,目标值\r\n丹东市,${year},实际到位内资,${value}\r\n沈阳市,${year},签约项目,7`);
    const leader = w.actors.provinceLeader;
    const l = await lock(leader, { unit: "210000", kind: "quarter", year: 2026, n: 3 });
    // another year is free
    expect((await importFile(t.db, leader, { kind: "targets", bytes: file("4000000000", 2027), dryRun: false })).applied).toBe(true);
    const named = { key: "errors.lock.targetLocked", values: { unit: "辽宁省", kind: "quarter", year: "2026", n: "3", by: "王厅长", at: todayCN(l.lockedAt) } };
    const before = await dataFingerprint(t.db);
    const r = await importFile(t.db, leader, { kind: "targets", bytes: file("4500000000", 2026), dryRun: false });
    expect(r.applied).toBe(false);
    expect(r.errors).toEqual([
      { row: 2, column: "目标值", message: named },
      { row: 3, column: "目标值", message: named },
    ]);
    // the page's own message
    const page = await lockedBy(api(leader).targets.set({ year: 2026, entries: [{ unitId: w.units.shenyang.id, metric: "signed_projects", value: "7", version: null }] }));
    expect(page).toEqual(named);
    expect(translate("en", named.key, named.values)).toContain("target progress of a locked period: 辽宁省, Q3 2026");
    expect(await dataFingerprint(t.db)).toBe(before);
    await api(w.actors.admin).locks.reopen({ id: l.id, version: l.version, reason: "调整指标" });

    const racing = Object.create(t.db, {
      transaction: {
        value: async (fn: (tx: Db) => Promise<unknown>) => {
          await lock(leader, { unit: "210600", kind: "month", year: 2026, n: 5 });
          return t.db.transaction(fn);
        },
      },
    }) as Db;
    const targetsBefore = await t.db.select().from(targets);
    const msg = await lockedBy(importFile(racing, leader, { kind: "targets", bytes: file("4500000000", 2026), dryRun: false }));
    expect(msg).toMatchObject({ key: "errors.lock.targetLocked", values: { unit: "丹东市", kind: "month", n: "5" } });
    expect(await t.db.select().from(targets)).toEqual(targetsBefore);
  });
});

describe("imports touching a locked period", () => {
  const TRANCHES = (code: string) => ["项目编号,到位日期,到位金额,凭证号", `${code},2026-04-20,100,IMP-LK-1`, `${code},2026-02-20,200,IMP-LK-2`].join("\r\n");

  it("a tranches file with a row in a locked quarter is refused with a row error; nothing is written", async () => {
    const p = await signed(w.actors.dalianStaff);
    const pending = await api(w.actors.dalianStaff).funds.report({ projectId: p.id, amount: "300", arrivedOn: "2026-03-05", evidenceNo: "IMP-LK-9" });
    const l = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const named = q1Dalian(w.actors.dalianLeader, l.lockedAt);
    const before = await dataFingerprint(t.db);
    const r = await importFile(t.db, w.actors.dalianStaff, { kind: "tranches", bytes: utf8(TRANCHES(p.code)), dryRun: false });
    expect(r.applied).toBe(false);
    expect(r.errors).toEqual([{ row: 3, column: "到位日期", message: named }]);
    // a pending tranche (keyed by its evidence number) moved out of the locked quarter: its old date is inside
    const moved = await importFile(t.db, w.actors.dalianStaff, { kind: "tranches", bytes: utf8(`项目编号,到位日期,到位金额,凭证号\r\n${p.code},2026-04-06,300,IMP-LK-9`), dryRun: false });
    expect(moved.counts.updated).toBe(1);
    expect(moved.errors).toEqual([{ row: 2, column: "到位日期", message: named }]);
    // verified by a leader's import: the same
    const verify = await importFile(t.db, w.actors.dalianLeader, { kind: "tranches", bytes: utf8(`项目编号,到位日期,到位金额,凭证号,是否核实\r\n${p.code},2026-03-05,300,IMP-LK-9,是`), dryRun: true });
    expect(verify.errors).toEqual([{ row: 2, column: "到位日期", message: named }]);
    expect(await dataFingerprint(t.db)).toBe(before);
    expect((await trancheRow(pending.id))!.status).toBe("pending");
    // outside the quarter the same file kind goes through
    const ok = await importFile(t.db, w.actors.dalianStaff, { kind: "tranches", bytes: utf8(`项目编号,到位日期,到位金额,凭证号\r\n${p.code},2026-04-20,100,IMP-LK-1`), dryRun: false });
    expect([ok.applied, ok.errors]).toEqual([true, []]);
  });

  it("a projects file with a signing in a locked period, or moving a funded project out of a locked unit, is refused row by row", async () => {
    const funded = await signed(w.actors.dalianStaff);
    await verified(w.actors.dalianStaff, w.actors.dalianLeader, funded.id, "2026-02-01");
    const l = await lock(w.actors.dalianLeader, { unit: "210200", kind: "quarter", year: 2026, n: 1 });
    const f = await projectRow(funded.id);
    const csv = [
      "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,计划投资额,阶段,接触日期,签约日期,签约金额",
      "LK-NEW-1,锁定期内签约的新项目,内资,大连市,锁定测试投资有限公司,江苏,1000000,签约,2026-01-05,2026-02-14,900000",
      "LK-NEW-2,锁定期后签约的新项目,内资,大连市,锁定测试投资有限公司,江苏,1000000,签约,2026-04-01,2026-04-14,900000",
      `${f.code},${f.name},内资,沈阳市,锁定测试投资有限公司,江苏,250000000,签约,2026-01-05,2026-01-10,200000000`,
    ].join("\r\n");
    const before = await dataFingerprint(t.db);
    const r = await importFile(t.db, w.actors.admin, { kind: "projects", bytes: utf8(csv), dryRun: false });
    expect(r.applied).toBe(false);
    const named = { key: "errors.lock.locked", values: { unit: "大连市", kind: "quarter", year: "2026", n: "1", by: "李局长", at: todayCN(l.lockedAt) } };
    expect(r.errors).toEqual([
      { row: 2, column: "接触日期", message: named },
      { row: 4, column: "责任单位", message: named },
    ]);
    expect(await dataFingerprint(t.db)).toBe(before);
  });

  it("a lock set after the preview is still caught by the guard inside the import's transaction", async () => {
    const p = await signed(w.actors.dalianStaff, { signedOn: "2025-12-01", startedOn: "2025-11-20" });
    const csv = `项目编号,到位日期,到位金额\r\n${p.code},2025-12-20,500`;
    // the lock lands between the validation (preview) and the write transaction
    const racing = Object.create(t.db, {
      transaction: {
        value: async (fn: (tx: Db) => Promise<unknown>) => {
          await lock(w.actors.dalianLeader, { unit: "210200", kind: "month", year: 2025, n: 12 });
          return t.db.transaction(fn);
        },
      },
    }) as Db;
    const before = await t.db.select().from(tranches).where(eq(tranches.projectId, p.id));
    const msg = await lockedBy(importFile(racing, w.actors.dalianStaff, { kind: "tranches", bytes: utf8(csv), dryRun: false }));
    expect(msg.values).toMatchObject({ unit: "大连市", kind: "month", year: "2025", n: "12" });
    expect(await t.db.select().from(tranches).where(eq(tranches.projectId, p.id))).toEqual(before);
  });
});

describe("the command line", () => {
  it("an import through the CLI is refused by a lock: the lock named on stderr, a non-zero exit, nothing written", { timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-lock-cli-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, "data");
    const cli = async (lang: string, ...args: string[]) =>
      promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "cli/index.ts", ...args], {
        env: { ...process.env, PGLITE_DIR: dataDir, DATABASE_URL: "", LANG: "en_US.UTF-8", CLI_LANG: lang },
      }).then(
        (r) => ({ code: 0, stderr: r.stderr }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    expect((await cli("", "db", "migrate")).code).toBe(0);
    expect((await cli("", "unit", "add", "--code", "210000", "--name", "辽宁省")).code).toBe(0);
    expect((await cli("", "unit", "add", "--code", "210200", "--name", "大连市", "--parent", "210000")).code).toBe(0);
    expect((await cli("", "user", "add", "--email", "leader@example.cn", "--name", "王建国", "--role", "leader", "--unit", "210000", "--password", "Leader-pass-2026")).code).toBe(0);
    expect((await cli("", "user", "add", "--email", "staff@example.cn", "--name", "刘专员", "--role", "staff", "--unit", "210200", "--password", "Staff-pass-2026")).code).toBe(0);

    const h = await openPglite(dataDir);
    let code = "";
    let lockedOn = "";
    try {
      const byEmail = async (email: string) => actorOf(h.db, (await h.db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]!.id);
      const staff = await byEmail("staff@example.cn");
      const p = await makeProject(h.db, staff, { startedOn: "2026-01-05", stage: "negotiation" });
      const s = await moveProjectStage(h.db, staff, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-01-10", signedAmount: "5000000" });
      code = s.code;
      lockedOn = todayCN((await lockPeriod(h.db, await byEmail("leader@example.cn"), { unit: "210000", kind: "quarter", year: 2026, n: 1 })).lockedAt);
    } finally {
      await h.close();
    }
    const file = path.join(dir, "tranches.csv");
    fs.writeFileSync(file, `项目编号,到位日期,到位金额\r\n${code},2026-04-02,100\r\n${code},2026-02-10,100\r\n`);
    const en = await cli("", "import", "tranches", file);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain(`row 3 [到位日期]: Period locked: 辽宁省, Q1 2026 (locked by 王建国 on ${lockedOn}).`);
    expect(en.stderr).toContain("nothing was written");
    const zh = await cli("zh", "import", "tranches", file, "--dry-run");
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain(`统计期已锁定：辽宁省 2026年第1季度（王建国 于 ${lockedOn} 锁定）`);

    const check = await openPglite(dataDir);
    try {
      expect(await check.db.select().from(tranches)).toEqual([]);
    } finally {
      await check.close();
    }
  });
});
