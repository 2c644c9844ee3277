import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, projects, settings, tranches } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, insertUnit, insertUser, makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import { addDays, daysBetween, todayCN } from "@/lib/dates";
import { FLAG_RULES } from "@/lib/flags";
import type { TActor } from "@/server/auth/actor";
import { digestIds } from "@/server/flags/rules";
import { reportTranche } from "@/server/funds/tranches";
import { lockPeriod } from "@/server/locks/lock-period";
import { reopenLock } from "@/server/locks/reopen-lock";
import type { TCreateProject } from "@/server/projects/project-fields";
import { callerFor, httpCall, trpcError } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const api = (actor: TActor) => callerFor(t.db, actor);
/** Every flag of a rule the actor sees (open and reviewed). */
const flagsOf = async (actor: TActor, rule: string, more: Record<string, unknown> = {}) =>
  (await api(actor).flags.list({ rule: rule as never, status: "all", pageSize: 200, ...more })).rows;

type TSignOpts = Partial<TCreateProject> & { signedOn?: string; signedAmount?: string; skipNegotiation?: boolean };
/** A signed project; by default through negotiation, so no stage is skipped. */
async function signed(actor: TActor, o: TSignOpts = {}) {
  const { signedOn = "2026-02-01", signedAmount = "200000000", skipNegotiation = false, ...over } = o;
  const p = await makeProject(t.db, actor, { startedOn: "2026-01-05", stage: skipNegotiation ? "contact" : "negotiation", ...over });
  return api(actor).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: signedOn, signedAmount });
}
const report = (actor: TActor, projectId: string, arrivedOn: string, at: string, more: { amount?: string; evidenceNo?: string } = {}) =>
  reportTranche(t.db, actor, { projectId, amount: more.amount ?? "1000000", arrivedOn, evidenceNo: more.evidenceNo }, new Date(at));

describe("backdated (突击上报)", () => {
  it("flags a tranche recorded more than backdateDays after arrival, counting the China date of the recording", async () => {
    const p = await signed(w.actors.dalianStaff);
    // 2026-03-31T15:59Z is 23:59 on 31 March in China: 30 days after arrival, allowed
    const onTime = await report(w.actors.dalianStaff, p.id, "2026-03-01", "2026-03-31T15:59:00Z");
    // one minute later it is 1 April in China: 31 days
    const late = await report(w.actors.dalianStaff, p.id, "2026-03-01", "2026-03-31T16:00:00Z");
    const flags = (await api(w.actors.dalianLeader).flags.forProject({ projectId: p.id })).filter((f) => f.rule === "backdated");
    expect(flags.map((f) => f.key)).toEqual([`backdated:${late.id}`]);
    const f = flags[0]!;
    expect(f.rule === "backdated" && f.detail).toMatchObject({
      trancheId: late.id, arrivedOn: "2026-03-01", reportedOn: "2026-04-01", days: 31, thresholdDays: 30, late: true, lock: null, amount: "1000000.00", currency: "CNY",
    });
    expect(f.rows).toEqual([late.id]);
    expect(f).toMatchObject({ projectId: p.id, projectCode: p.code, projectName: p.name, unitName: "大连市", review: null });
    expect(flags.map((x) => x.key)).not.toContain(`backdated:${onTime.id}`);
  });

  it("follows the backdateDays setting and ignores rejected tranches", async () => {
    const p = await signed(w.actors.dalianStaff);
    const tr = await report(w.actors.dalianStaff, p.id, "2026-03-01", "2026-03-21T02:00:00Z"); // 20 days
    const keys = async () => (await flagsOf(w.actors.dalianLeader, "backdated", { projectId: p.id })).map((f) => f.key);
    expect(await keys()).toEqual([]);
    await t.db.insert(settings).values({ key: "backdateDays", value: 15 });
    try {
      expect(await keys()).toEqual([`backdated:${tr.id}`]);
      await api(w.actors.dalianLeader).funds.verify({ id: tr.id, version: tr.version, decision: "reject", reason: "补报材料不全" });
      expect(await keys()).toEqual([]);
    } finally {
      await t.db.delete(settings).where(eq(settings.key, "backdateDays"));
    }
  });

  // Regression: the rule only looked at active locks, but a write into an active lock is refused,
  // so the only way in is during a reopen — and a reopened lock was excluded: it never fired.
  it("flags a tranche recorded after the first lock of its period, through lock → reopen → report → relock; not before it, not another unit's lock", async () => {
    const city = await insertUnit(t.db, "LOCK-C", "锁定测试市", "city", w.units.province);
    const zone = await insertUnit(t.db, "LOCK-Z", "锁定测试园区", "zone", city);
    const staff = await actorOf(t.db, (await insertUser(t.db, "staff.lockz@test.ln.gov.cn", "孙专员", "staff", zone.id)).id);
    const p = await signed(staff, { signedOn: "2025-10-05", startedOn: "2025-09-01" });
    const before = await report(staff, p.id, "2025-11-03", "2025-12-02T02:00:00Z"); // before any lock of its own
    // another city's lock of the same month, set earlier, binds nobody here
    await lockPeriod(t.db, w.actors.provinceLeader, { unit: "210600", kind: "month", year: 2025, n: 11 }, new Date("2025-12-01T00:00:00Z"));
    const first = await lockPeriod(t.db, w.actors.provinceLeader, { unit: "LOCK-C", kind: "month", year: 2025, n: 11 }, new Date("2025-12-05T00:00:00Z"));
    await expect(report(staff, p.id, "2025-11-20", "2025-12-05T02:00:00Z")).rejects.toMatchObject({ code: "LOCKED" });
    await reopenLock(t.db, w.actors.admin, { id: first.id, version: first.version, reason: "补录十一月到位资金" }, new Date("2025-12-06T00:00:00Z"));
    const during = await report(staff, p.id, "2025-11-20", "2025-12-08T02:00:00Z"); // 18 days: not late
    await lockPeriod(t.db, w.actors.provinceLeader, { unit: "LOCK-C", kind: "month", year: 2025, n: 11 }, new Date("2025-12-10T00:00:00Z"));

    // recorded late and after the lock (written behind the guard's back): one flag, not two
    const [lateAfter] = await t.db
      .insert(tranches)
      .values({ projectId: p.id, amount: "5", arrivedOn: "2025-11-02", status: "pending", reportedAt: new Date("2026-01-10T02:00:00Z") })
      .returning();

    const mine = (await flagsOf(w.actors.provinceLeader, "backdated")).filter((f) => f.projectId === p.id);
    expect(mine.map((f) => f.key)).toEqual([`backdated:${during.id}`, `backdated:${lateAfter!.id}`]);
    expect(mine[1]!.rule === "backdated" && mine[1]!.detail).toMatchObject({ late: true, days: 69, lock: { periodStart: "2025-11-01" } });
    const d = mine[0]!.rule === "backdated" ? mine[0]!.detail : null;
    expect(d).toMatchObject({ late: false, days: 18, lock: { kind: "month", periodStart: "2025-11-01", periodEnd: "2025-11-30" } });
    // the lock it names is the first one (since reopened), not the relock after the report
    expect(d!.lock!.lockedAt.toISOString()).toBe("2025-12-05T00:00:00.000Z");
    expect(d!.lock!.reopenedAt?.toISOString()).toBe("2025-12-06T00:00:00.000Z");
    expect(mine.map((f) => f.key)).not.toContain(`backdated:${before.id}`);
    // the zone's own staff sees it on the project page
    expect((await api(staff).flags.forProject({ projectId: p.id })).map((f) => f.key)).toContain(`backdated:${during.id}`);
  });
});

describe("over_signed", () => {
  it("flags verified funds above the signed amount, in exact decimals; pending funds do not count", async () => {
    const staff = api(w.actors.dalianStaff);
    const leader = api(w.actors.dalianLeader);
    const p = await signed(w.actors.dalianStaff, { signedAmount: "1000000" });
    const a = await staff.funds.report({ projectId: p.id, amount: "600000.10", arrivedOn: "2026-03-01" });
    const b = await staff.funds.report({ projectId: p.id, amount: "399999.90", arrivedOn: "2026-03-02" });
    await leader.funds.verify({ id: a.id, version: a.version, decision: "verify" });
    await leader.funds.verify({ id: b.id, version: b.version, decision: "verify" });
    const over = () => flagsOf(w.actors.dalianLeader, "over_signed", { projectId: p.id });
    expect(await over()).toEqual([]); // exactly the signed amount
    const c = await staff.funds.report({ projectId: p.id, amount: "300000", arrivedOn: "2026-03-03" });
    expect(await over()).toEqual([]); // pending
    await leader.funds.verify({ id: c.id, version: c.version, decision: "verify" });
    const [f, ...rest] = await over();
    expect(rest).toEqual([]);
    expect(f!.rule === "over_signed" && f!.detail).toMatchObject({ verified: "1300000.00", signed: "1000000.00", excess: "300000.00", pct: "130.0", currency: "CNY", trancheCount: 3 });
    expect(f!.rows).toEqual([a.id, b.id, c.id].sort());
    // the key format is what stored reviews refer to: it must not drift
    expect(f!.key).toBe(`over_signed:${p.id}+${digestIds([a.id, b.id, c.id])}`);
    // the verified tranches behind it, so the flag can link to each row
    expect(f!.rule === "over_signed" && f!.detail.tranches.map((x) => [x.id, x.arrivedOn, x.amount])).toEqual([
      [a.id, "2026-03-01", "600000.10"],
      [b.id, "2026-03-02", "399999.90"],
      [c.id, "2026-03-03", "300000.00"],
    ]);
  });
});

describe("duplicate_evidence", () => {
  it("flags one evidence number (trimmed, any width or case) on two tranches, once, listing all of them", async () => {
    const dl = await signed(w.actors.dalianStaff);
    const sy = await signed(w.actors.shenyangStaff);
    const t1 = await api(w.actors.dalianStaff).funds.report({ projectId: dl.id, amount: "5000000", arrivedOn: "2026-03-01", evidenceNo: "YH-2026-0777" });
    const t2 = await api(w.actors.shenyangStaff).funds.report({ projectId: sy.id, amount: "5000000", arrivedOn: "2026-03-02", evidenceNo: " ｙｈ-2026-0777 " });
    const t3 = await api(w.actors.dalianStaff).funds.report({ projectId: dl.id, amount: "100", arrivedOn: "2026-03-03", evidenceNo: "YH-2026-0778" });
    const all = await flagsOf(w.actors.provinceLeader, "duplicate_evidence");
    const f = all.find((x) => x.rows.includes(t1.id))!;
    expect(f.key).toBe(`duplicate_evidence:${[t1.id, t2.id].sort().join(",")}`);
    expect(f.rows.slice().sort()).toEqual([t1.id, t2.id].sort());
    expect(f.projectIds.slice().sort()).toEqual([dl.id, sy.id].sort());
    expect(f.rule === "duplicate_evidence" && f.detail).toMatchObject({ evidenceNo: "YH-2026-0777", total: 2, outsideCount: 0 });
    expect(f.rule === "duplicate_evidence" && f.detail.tranches.map((r) => r.unitName).sort()).toEqual(["大连市", "沈阳市"]);
    expect(all.filter((x) => x.rows.includes(t3.id))).toEqual([]);
    // a unit filter keeps it where one of its tranches is, listed under that unit's project
    const inShenyang = (await flagsOf(w.actors.provinceLeader, "duplicate_evidence", { unit: "210100" })).filter((x) => x.key === f.key);
    expect(inShenyang.map((x) => x.projectId)).toEqual([sy.id]);
    expect((await flagsOf(w.actors.provinceLeader, "duplicate_evidence", { unit: "210600" })).some((x) => x.key === f.key)).toBe(false);
    // the project page reads only the groups touching its project, and finds the same flag
    const onPage = (await api(w.actors.provinceLeader).flags.forProject({ projectId: sy.id })).filter((x) => x.rule === "duplicate_evidence");
    expect(onPage.map((x) => x.key)).toEqual([f.key]);
    expect(onPage[0]!.projectId).toBe(sy.id);
  });

  it("a city sees the duplicate of another city's number on its own tranche, without a trace of the other city", async () => {
    const dl = await signed(w.actors.dalianStaff);
    const sy = await signed(w.actors.shenyangStaff);
    const t1 = await api(w.actors.dalianStaff).funds.report({ projectId: dl.id, amount: "7000000", arrivedOn: "2026-03-01", evidenceNo: "JZ-88001" });
    const t2 = await api(w.actors.shenyangStaff).funds.report({ projectId: sy.id, amount: "7000000", arrivedOn: "2026-03-05", evidenceNo: "jz-88001" });
    const seen = (await flagsOf(w.actors.shenyangStaff, "duplicate_evidence")).filter((x) => x.rows.includes(t2.id));
    expect(seen).toHaveLength(1);
    const f = seen[0]!;
    expect(f.rows).toEqual([t2.id]);
    expect(f.rule === "duplicate_evidence" && f.detail).toMatchObject({ evidenceNo: "jz-88001", total: 2, outsideCount: 1 });
    const json = JSON.stringify(f);
    for (const secret of [t1.id, dl.id, dl.code, dl.name, "大连"]) expect(json).not.toContain(secret);
    // the Dalian side sees its own half
    const dlSide = (await flagsOf(w.actors.dalianLeader, "duplicate_evidence")).filter((x) => x.rows.includes(t1.id));
    expect(dlSide.map((x) => x.rows)).toEqual([[t1.id]]);

    // the province reviews the whole duplicate; the city's partial view stays open (its note may name Dalian)
    const full = (await flagsOf(w.actors.provinceLeader, "duplicate_evidence")).find((x) => x.rows.includes(t1.id))!;
    await api(w.actors.provinceLeader).flags.review({ key: full.key, note: "已与银行核对：大连项目为真实进账" });
    const again = (await flagsOf(w.actors.shenyangStaff, "duplicate_evidence")).find((x) => x.rows.includes(t2.id))!;
    expect(again.review).toBeNull();
    expect(JSON.stringify(again)).not.toContain("大连");
  });

  it("counts a number used twice on one project; a rejected tranche no longer counts", async () => {
    const p = await signed(w.actors.dalianStaff);
    const staff = api(w.actors.dalianStaff);
    await staff.funds.report({ projectId: p.id, amount: "100000", arrivedOn: "2026-03-01", evidenceNo: "YH-2026-0999" });
    const dup = await staff.funds.report({ projectId: p.id, amount: "100000", arrivedOn: "2026-03-01", evidenceNo: "YH-2026-0999" });
    const dupFlags = () => flagsOf(w.actors.dalianLeader, "duplicate_evidence", { projectId: p.id });
    expect(await dupFlags()).toHaveLength(1);
    await api(w.actors.dalianLeader).funds.verify({ id: dup.id, version: dup.version, decision: "reject", reason: "重复报送" });
    expect(await dupFlags()).toEqual([]);
  });
});

describe("skipped_stage", () => {
  it("flags a forward move over a stage, from the stage events; a step-by-step path is not flagged", async () => {
    const skip = await signed(w.actors.dalianStaff, { skipNegotiation: true });
    const [f, ...rest] = await flagsOf(w.actors.dalianLeader, "skipped_stage", { projectId: skip.id });
    expect(rest).toEqual([]);
    expect(f!.rule === "skipped_stage" && f!.detail).toMatchObject({ from: "contact", to: "signed", skipped: ["negotiation"], businessDate: "2026-02-01", actorName: "刘专员" });
    expect(f!.key).toBe(`skipped_stage:${f!.rows[0]}`);

    const p = await makeProject(t.db, w.actors.dalianStaff, { startedOn: "2026-01-05" });
    const n = await api(w.actors.dalianStaff).projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-01-10" });
    const s = await api(w.actors.dalianStaff).projects.moveStage({ id: p.id, version: n.version, toStage: "signed", toStatus: "active", businessDate: "2026-02-01", signedAmount: "5000000" });
    await api(w.actors.dalianStaff).funds.report({ projectId: s.id, amount: "100", arrivedOn: "2026-03-01" }); // signed → funds
    expect(await flagsOf(w.actors.dalianLeader, "skipped_stage", { projectId: p.id })).toEqual([]);
  });
});

describe("repeat_signing (重复签约)", () => {
  it("flags the same investor signing a similarly named project in two units; a different project name is not", async () => {
    const dl = await signed(w.actors.dalianStaff, { name: "华晨宝马新能源汽车生产基地建设项目", investor: { newInvestor: { name: "华晨宝马汽车有限公司", originRegion: "320000" } } });
    const investor = { investorId: dl.investorId };
    const sy = await signed(w.actors.admin, { unitId: w.units.shenyang.id, name: "华晨宝马 新能源汽车（生产基地）项目", investor });
    const dd = await signed(w.actors.admin, { unitId: w.units.dandong.id, name: "华晨宝马研发中心项目", investor });
    const all = await flagsOf(w.actors.provinceLeader, "repeat_signing");
    const f = all.find((x) => x.projectIds.includes(dl.id))!;
    expect(f.rows.slice().sort()).toEqual([dl.id, sy.id].sort());
    expect(f.key).toBe(`repeat_signing:${[dl.id, sy.id].sort().join(",")}`);
    expect(f.rule === "repeat_signing" && f.detail).toMatchObject({ investorName: "华晨宝马汽车有限公司", unitCount: 2, outsideCount: 0 });
    expect(all.some((x) => x.projectIds.includes(dd.id))).toBe(false);

    // Shenyang sees its project flagged, the Dalian one only as a count
    const [syFlag, ...more] = (await flagsOf(w.actors.shenyangStaff, "repeat_signing")).filter((x) => x.projectIds.includes(sy.id));
    expect(more).toEqual([]);
    expect(syFlag!.rows).toEqual([sy.id]);
    expect(syFlag!.rule === "repeat_signing" && syFlag!.detail).toMatchObject({ unitCount: 2, outsideCount: 1 });
    for (const secret of [dl.id, dl.code, "大连"]) expect(JSON.stringify(syFlag)).not.toContain(secret);
    // and the project page shows it
    expect((await api(w.actors.shenyangStaff).flags.forProject({ projectId: sy.id })).map((x) => x.rule)).toContain("repeat_signing");
  });

  it("matches similar, not only identical, project names of one investor (汽车 / 整车)", async () => {
    const dl = await signed(w.actors.dalianStaff, { name: "华晨宝马新能源汽车项目", investor: { newInvestor: { name: "华晨宝马（沈阳）有限公司", originRegion: "320000" } } });
    const sy = await signed(w.actors.admin, { unitId: w.units.shenyang.id, name: "华晨宝马新能源整车项目", investor: { investorId: dl.investorId } });
    const far = await signed(w.actors.admin, { unitId: w.units.dandong.id, name: "华晨宝马零部件物流中心项目", investor: { investorId: dl.investorId } });
    const f = (await flagsOf(w.actors.provinceLeader, "repeat_signing")).filter((x) => x.projectIds.includes(dl.id));
    expect(f.map((x) => x.rows.slice().sort())).toEqual([[dl.id, sy.id].sort()]);
    expect(f[0]!.projectIds).not.toContain(far.id);
  });

  it("does not flag two signings in one unit, or a lost project", async () => {
    const a = await signed(w.actors.dalianStaff, { name: "恒力石化乙烯项目", investor: { newInvestor: { name: "恒力石化股份有限公司", originRegion: "320000" } } });
    const b = await signed(w.actors.dalianStaff, { name: "恒力石化乙烯建设项目", investor: { investorId: a.investorId } });
    const c = await signed(w.actors.admin, { unitId: w.units.dandong.id, name: "恒力石化乙烯扩建项目", investor: { investorId: a.investorId } });
    const flagged = async () => (await flagsOf(w.actors.provinceLeader, "repeat_signing")).filter((x) => x.projectIds.includes(a.id));
    expect((await flagged()).map((x) => x.rows.length)).toEqual([3]);
    await api(w.actors.admin).projects.moveStage({ id: c.id, version: c.version, toStage: "signed", toStatus: "lost", businessDate: "2026-03-01", reason: "投资方改在大连实施" });
    expect(await flagged()).toEqual([]);
    expect(b.unitId).toBe(a.unitId);
  });
});

describe("three_not (三未项目)", () => {
  it("flags signed projects with no registration, construction start or verified funds after threeNotDays, naming which", async () => {
    const today = todayCN();
    const none = await signed(w.actors.dalianStaff, { signedOn: "2026-02-01" });
    const started = await signed(w.actors.dalianStaff, { signedOn: "2026-02-01" });
    await t.db.update(projects).set({ registeredOn: "2026-02-10", constructionOn: "2026-03-01" }).where(eq(projects.id, started.id));
    const complete = await signed(w.actors.dalianStaff, { signedOn: "2026-02-01" });
    await t.db.update(projects).set({ registeredOn: "2026-02-10", constructionOn: "2026-03-01" }).where(eq(projects.id, complete.id));
    const tr = await api(w.actors.dalianStaff).funds.report({ projectId: complete.id, amount: "100", arrivedOn: "2026-03-01" });
    const recent = await signed(w.actors.dalianStaff, { signedOn: addDays(today, -10) });

    const three = async (projectId: string) => (await flagsOf(w.actors.dalianLeader, "three_not", { projectId }));
    const [f] = await three(none.id);
    expect(f!.key).toBe(`three_not:${none.id}`);
    expect(f!.rule === "three_not" && f!.detail).toEqual({ signedOn: "2026-02-01", days: daysBetween("2026-02-01", today), thresholdDays: 180, missing: ["unregistered", "not_started", "unfunded"] });
    const [g] = await three(started.id);
    expect(g!.rule === "three_not" && g!.detail.missing).toEqual(["unfunded"]);
    // a pending tranche is not funds in place; a verified one is
    expect(await three(complete.id)).toHaveLength(1);
    await api(w.actors.dalianLeader).funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
    expect(await three(complete.id)).toEqual([]);
    expect(await three(recent.id)).toEqual([]);

    await t.db.insert(settings).values({ key: "threeNotDays", value: daysBetween("2026-02-01", today) + 1 });
    try {
      expect(await three(none.id)).toEqual([]);
    } finally {
      await t.db.delete(settings).where(eq(settings.key, "threeNotDays"));
    }
  });
});

describe("scope", () => {
  it("a Shenyang staff user never sees a Dalian flag, nor counts it; a unit filter outside the scope is empty", async () => {
    const dl = await signed(w.actors.dalianStaff, { skipNegotiation: true });
    await report(w.actors.dalianStaff, dl.id, "2026-02-02", "2026-06-01T02:00:00Z");
    const sy = await signed(w.actors.shenyangStaff, { skipNegotiation: true });
    await report(w.actors.shenyangStaff, sy.id, "2026-02-02", "2026-06-01T02:00:00Z");

    const syApi = api(w.actors.shenyangStaff);
    const list = await syApi.flags.list({ status: "all", pageSize: 200 });
    expect(list.rows.length).toBeGreaterThan(0);
    expect(list.rows.some((f) => f.projectId === sy.id)).toBe(true);
    const dalianIds = new Set((await t.db.select({ id: projects.id }).from(projects).where(eq(projects.unitId, w.units.dalian.id))).map((r) => r.id));
    for (const f of list.rows) {
      expect(f.unitName).toBe("沈阳市");
      for (const id of f.projectIds) expect(dalianIds.has(id)).toBe(false);
    }
    expect(JSON.stringify(list)).not.toContain("大连");
    const counted = Object.values(list.counts).reduce((n, c) => n + c.open + c.reviewed, 0);
    expect(counted).toBe(list.total);
    expect(list.total).toBe(list.rows.length);

    const dlUnit = await syApi.flags.list({ unit: "210200", status: "all" });
    expect(dlUnit.total).toBe(0);
    expect(Object.values(dlUnit.counts).every((c) => c.open === 0 && c.reviewed === 0)).toBe(true);
    expect((await trpcError(syApi.flags.forProject({ projectId: dl.id }))).code).toBe("NOT_FOUND");

    // the province narrows to a city with the unit filter
    const province = await api(w.actors.provinceLeader).flags.list({ unit: "210100", status: "all", pageSize: 200 });
    expect(province.rows.length).toBeGreaterThan(0);
    expect(province.rows.every((f) => f.unitName === "沈阳市")).toBe(true);
    expect((await api(w.actors.provinceLeader).flags.list({ status: "all", pageSize: 200 })).total).toBeGreaterThan(province.total);
  });
});

describe("review", () => {
  it("a leader marks a flag reviewed with a note, audited; it stays listed as reviewed; staff cannot; out of scope is NOT_FOUND", async () => {
    const p = await signed(w.actors.dalianStaff);
    const tr = await report(w.actors.dalianStaff, p.id, "2026-03-01", "2026-05-01T02:00:00Z");
    const key = `backdated:${tr.id}`;
    const leader = api(w.actors.dalianLeader);

    expect((await trpcError(api(w.actors.dalianStaff).flags.review({ key, note: "已核实" }))).code).toBe("FORBIDDEN");
    expect((await trpcError(leader.flags.review({ key, note: " " }))).code).toBe("BAD_REQUEST");

    const sy = await signed(w.actors.shenyangStaff);
    const syTr = await report(w.actors.shenyangStaff, sy.id, "2026-03-01", "2026-05-01T02:00:00Z");
    const syKey = `backdated:${syTr.id}`;
    expect((await flagsOf(w.actors.provinceLeader, "backdated")).map((f) => f.key)).toContain(syKey);
    expect((await trpcError(leader.flags.review({ key: syKey, note: "不是我们的" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(leader.flags.review({ key: `backdated:${crypto.randomUUID()}`, note: "不存在" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(leader.flags.review({ key: "nonsense", note: "不存在" }))).code).toBe("NOT_FOUND");

    const reviewed = await leader.flags.review({ key, note: "银行进账单已核对，系补录" });
    expect(reviewed.review).toMatchObject({ note: "银行进账单已核对，系补录", reviewedBy: "李局长" });

    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityType, "flag"), eq(auditLog.entityId, key)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "flag.review", actorId: w.actors.dalianLeader.id, unitId: w.units.dalian.id });
    expect(audit[0]!.after).toMatchObject({ flagKey: key, note: "银行进账单已核对，系补录", flag: { rule: "backdated", projectId: p.id } });

    const keysOf = async (status: "open" | "reviewed" | "all") => (await leader.flags.list({ rule: "backdated", status, pageSize: 200 })).rows.map((f) => f.key);
    expect(await keysOf("open")).not.toContain(key);
    expect(await keysOf("reviewed")).toContain(key);
    expect(await keysOf("all")).toContain(key);
    const onPage = (await api(w.actors.dalianStaff).flags.forProject({ projectId: p.id })).find((f) => f.key === key);
    expect(onPage!.review).toMatchObject({ note: "银行进账单已核对，系补录", reviewedBy: "李局长" });
    const counts = (await leader.flags.list({ projectId: p.id })).counts.backdated;
    expect(counts).toEqual({ open: 0, reviewed: 1 });

    expect((await trpcError(api(w.actors.provinceLeader).flags.review({ key, note: "再核一次" }))).code).toBe("CONFLICT");
  });

  it("a review belongs to the rows it saw: when more funds are verified, the over-signed flag is open again", async () => {
    const staff = api(w.actors.dalianStaff);
    const leader = api(w.actors.dalianLeader);
    const p = await signed(w.actors.dalianStaff, { signedAmount: "1000" });
    const a = await staff.funds.report({ projectId: p.id, amount: "1200", arrivedOn: "2026-03-01" });
    await leader.funds.verify({ id: a.id, version: a.version, decision: "verify" });
    const [first] = await flagsOf(w.actors.dalianLeader, "over_signed", { projectId: p.id });
    await leader.flags.review({ key: first!.key, note: "签约后追加投资，补充协议已备案" });
    expect((await flagsOf(w.actors.dalianLeader, "over_signed", { projectId: p.id }))[0]!.review).not.toBeNull();
    // counted and filtered as reviewed, for the project and across the scope
    const keys = async (status: "open" | "reviewed", more: Record<string, unknown> = { projectId: p.id }) =>
      (await leader.flags.list({ rule: "over_signed", status, pageSize: 200, ...more })).rows.map((f) => f.key);
    expect(await keys("reviewed")).toEqual([first!.key]);
    expect(await keys("open")).toEqual([]);
    expect(await keys("reviewed", {})).toContain(first!.key);
    expect((await leader.flags.list({ projectId: p.id })).counts.over_signed).toEqual({ open: 0, reviewed: 1 });
    const b = await staff.funds.report({ projectId: p.id, amount: "5000", arrivedOn: "2026-03-02" });
    await leader.funds.verify({ id: b.id, version: b.version, decision: "verify" });
    const [now, ...rest] = await flagsOf(w.actors.dalianLeader, "over_signed", { projectId: p.id });
    expect(rest).toEqual([]);
    expect(now!.key).not.toBe(first!.key);
    expect(now!.review).toBeNull();
    expect(await keys("open")).toEqual([now!.key]);
    expect((await leader.flags.list({ projectId: p.id })).counts.over_signed).toEqual({ open: 1, reviewed: 0 });
  });

  it("answers a missing note in the user's language", async () => {
    const res = await httpCall(t.db, w.actors.dalianLeader, "zh-CN", "flags.review", { key: "backdated:x", note: "" });
    expect(res.status).toBe(400);
    expect((res.error!.data.fields as Record<string, string>).note).toBe("请填写核查说明（至少 2 个字）");
  });
});

describe("paging", () => {
  it("lists every rule in rule order, newest first, then by key; pages of 7 give the same list", async () => {
    const p = await signed(w.actors.dalianStaff, { skipNegotiation: true }); // skipped_stage, and 三未 by now
    await report(w.actors.dalianStaff, p.id, "2026-02-02", "2026-06-01T02:00:00Z"); // backdated
    const leader = api(w.actors.dalianLeader);
    const all = await leader.flags.list({ status: "all", pageSize: 200 });
    expect(all.total).toBe(all.rows.length);
    expect(new Set(all.rows.map((f) => f.rule)).size).toBeGreaterThanOrEqual(3);
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sorted = [...all.rows].sort((a, b) => FLAG_RULES.indexOf(a.rule) - FLAG_RULES.indexOf(b.rule) || cmp(b.on, a.on) || cmp(a.key, b.key));
    expect(all.rows.map((f) => f.key)).toEqual(sorted.map((f) => f.key));
    const paged: string[] = [];
    for (let page = 1; (page - 1) * 7 < all.total; page++) paged.push(...(await leader.flags.list({ status: "all", pageSize: 7, page })).rows.map((f) => f.key));
    expect(paged).toEqual(all.rows.map((f) => f.key));
  });
});

describe("scale", () => {
  // Regression: the review lookup bound one parameter per flag (inArray) and failed past 65,535
  // flags; counts and pages were made in JavaScript from every flag of the scope.
  it("lists, counts and pages 66,000 flags from the database", async () => {
    const big = await createTestDb();
    try {
      const bw = await seedWorld(big.db);
      const p = await makeProject(big.db, bw.actors.dalianStaff, { startedOn: "2025-12-01", stage: "negotiation" });
      await callerFor(big.db, bw.actors.dalianStaff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-01-02", signedAmount: "1000" });
      await big.db.execute(sql`insert into tranches (project_id, amount, arrived_on, status, reported_at)
        select ${p.id}::uuid, 1, date '2026-01-05' + (i % 20), 'pending', timestamptz '2026-04-01T02:00:00Z' from generate_series(1, 66000) i`);
      const leader = callerFor(big.db, bw.actors.dalianLeader);
      const first = await leader.flags.list({ rule: "backdated", status: "all", pageSize: 200 });
      expect(first.total).toBe(66000);
      expect(first.counts.backdated).toEqual({ open: 66000, reviewed: 0 });
      expect(first.rows).toHaveLength(200);
      const last = await leader.flags.list({ rule: "backdated", status: "all", pageSize: 200, page: 330 });
      expect(last.rows).toHaveLength(200);
      expect(new Set([...first.rows, ...last.rows].map((f) => f.key)).size).toBe(400);
      // newest arrival first, then by key: the last page holds the oldest arrival
      expect(first.rows[0]!.on).toBe("2026-01-24");
      expect(last.rows.at(-1)!.on).toBe("2026-01-05");
      expect((await leader.flags.list({ rule: "backdated", status: "all", pageSize: 200, page: 331 })).rows).toEqual([]);
      // deep in the list, a page across two rules: the last backdated flags, then the next rules'
      const others = (await Promise.all(FLAG_RULES.filter((r) => r !== "backdated").map((rule) => leader.flags.list({ rule, status: "all", pageSize: 200 })))).flatMap((l) => l.rows);
      expect(others.length).toBeGreaterThan(0);
      const across = await leader.flags.list({ status: "all", pageSize: 199, page: 332 }); // from 65,869
      expect(across.rows.map((f) => f.key)).toEqual([...last.rows.slice(69), ...others].slice(0, 199).map((f) => f.key));
      expect(across.total).toBe(66000 + others.length);
      const beyond = await leader.flags.list({ status: "all", pageSize: 50, page: 1321 }); // from 66,000: past every backdated flag
      expect(beyond.rows.map((f) => f.key)).toEqual(others.slice(0, 50).map((f) => f.key));
      await leader.flags.review({ key: last.rows[0]!.key, note: "抽查：银行进账单已核对" });
      expect((await leader.flags.list({ rule: "backdated", status: "reviewed" })).total).toBe(1);
      expect((await leader.flags.list({ status: "open", pageSize: 1 })).counts.backdated.open).toBe(65999);
      // the board badge reads only the cards it shows
      const cards = await callerFor(big.db, bw.actors.dalianStaff).board.cards({ stage: "signed", filters: {} });
      expect(cards.cards.find((c) => c.id === p.id)?.flagged).toBe(true);
    } finally {
      await big.close();
    }
  }, 120_000);
});
