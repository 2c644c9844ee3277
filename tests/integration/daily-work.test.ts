import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, projects } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, insertUnit, insertUser, makeProject, seedWorld, type TWorld } from "@/db/testing/factories";
import { addDays, todayCN } from "@/lib/dates";
import { callerFor, trpcError } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

describe("pipeline board", () => {
  it("column totals come from the database, CNY and USD apart, and never include other cities", async () => {
    const dl = callerFor(t.db, w.actors.dalianStaff);
    await makeProject(t.db, w.actors.dalianStaff, { name: "板块测试内资项目", plannedAmount: "100000000" });
    const f = await makeProject(t.db, w.actors.dalianStaff, { name: "板块测试外资项目", startedOn: "2026-02-01", capitalType: "foreign", plannedAmount: "5000000", investor: { newInvestor: { name: "香港板块测试有限公司", originCountry: "HK" } } });
    await dl.projects.moveStage({ id: f.id, version: f.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-01", signedAmount: "4500000" });
    await makeProject(t.db, w.actors.shenyangStaff, { name: "沈阳板块项目", plannedAmount: "777000000" });

    const cols = await dl.board.columns({ q: "板块测试" });
    expect(cols.find((c) => c.stage === "contact")).toMatchObject({ count: 1, plannedCny: "100000000.00", plannedUsd: "0" });
    expect(cols.find((c) => c.stage === "signed")).toMatchObject({ count: 1, plannedUsd: "5000000.00", signedUsd: "4500000.00", signedCny: "0" });
    const mine = await dl.board.columns({});
    const all = await callerFor(t.db, w.actors.provinceLeader).board.columns({});
    const total = (xs: typeof mine) => xs.reduce((s, c) => s + c.count, 0);
    expect(total(all) - total(mine)).toBeGreaterThanOrEqual(1); // Shenyang's project counts for the province only
    const sy = await callerFor(t.db, w.actors.shenyangStaff).board.columns({ q: "板块测试" });
    expect(total(sy)).toBe(0);
    const syOther = await callerFor(t.db, w.actors.shenyangStaff).board.columns({ unit: "210200" });
    expect(total(syOther)).toBe(0);
  });

  it("pages through a column without losing or repeating a card", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    for (let i = 0; i < 7; i++) await makeProject(t.db, w.actors.dalianStaff, { name: `分页项目${i}`, startedOn: `2026-02-0${i + 1}` });
    const seen: string[] = [];
    let after: { stageSince: string; code: string } | null = null;
    do {
      const page: Awaited<ReturnType<typeof api.board.cards>> = await api.board.cards({ filters: { q: "分页项目" }, stage: "contact", after, limit: 3 });
      seen.push(...page.cards.map((c) => c.name));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const cols = await api.board.columns({ q: "分页项目" });
    expect(cols.find((c) => c.stage === "contact")!.count).toBe(7);
  });
});

describe("pipeline board: scope and badges", () => {
  it("board.cards and its flagged badge stay in scope: a Shenyang user sees no Dalian card, count or badge", async () => {
    const dl = callerFor(t.db, w.actors.dalianStaff);
    const sy = callerFor(t.db, w.actors.shenyangStaff);
    // contact → signed skips negotiation: an open skipped_stage flag (signed recently: no 三未)
    const [started, signedOn] = [addDays(todayCN(), -20), addDays(todayCN(), -5)];
    const a = await makeProject(t.db, w.actors.dalianStaff, { name: "徽章测试大连项目", startedOn: started });
    const flagged = await dl.projects.moveStage({ id: a.id, version: a.version, toStage: "signed", toStatus: "active", businessDate: signedOn, signedAmount: "1000000" });
    const b = await makeProject(t.db, w.actors.dalianStaff, { name: "徽章测试大连无提示项目", startedOn: started, stage: "negotiation" });
    await dl.projects.moveStage({ id: b.id, version: b.version, toStage: "signed", toStatus: "active", businessDate: signedOn, signedAmount: "1000000" });
    const c = await makeProject(t.db, w.actors.shenyangStaff, { name: "徽章测试沈阳项目", startedOn: started });
    const syFlagged = await sy.projects.moveStage({ id: c.id, version: c.version, toStage: "signed", toStatus: "active", businessDate: signedOn, signedAmount: "1000000" });

    const dlCards = (await dl.board.cards({ stage: "signed", filters: { q: "徽章测试" } })).cards;
    expect(dlCards.map((x) => [x.name, x.flagged]).sort()).toEqual([["徽章测试大连无提示项目", false], ["徽章测试大连项目", true]]);
    const syCards = (await sy.board.cards({ stage: "signed", filters: { q: "徽章测试" } })).cards;
    expect(syCards.map((x) => [x.id, x.flagged])).toEqual([[syFlagged.id, true]]);
    expect((await sy.board.cards({ stage: "signed", filters: { q: "徽章测试大连" } })).cards).toEqual([]);
    expect((await sy.board.cards({ stage: "signed", filters: { unit: "210200" } })).cards).toEqual([]);
    const syBoard = await sy.board.load({ q: "徽章测试" });
    expect(syBoard.find((col) => col.stage === "signed")).toMatchObject({ count: 1, signedCny: "1000000.00" });
    expect(JSON.stringify(syBoard)).not.toContain("大连");
    // the province sees both badges in one load; a reviewed flag no longer shows one
    const province = (await callerFor(t.db, w.actors.provinceLeader).board.load({ q: "徽章测试" })).find((col) => col.stage === "signed")!;
    expect(province.cards.filter((x) => x.flagged).map((x) => x.id).sort()).toEqual([flagged.id, syFlagged.id].sort());
    const [flag] = (await callerFor(t.db, w.actors.dalianLeader).flags.forProject({ projectId: flagged.id })).filter((f) => f.rule === "skipped_stage");
    await callerFor(t.db, w.actors.dalianLeader).flags.review({ key: flag!.key, note: "补录时漏记洽谈阶段" });
    expect((await dl.board.cards({ stage: "signed", filters: { q: "徽章测试大连项目" } })).cards.map((x) => x.flagged)).toEqual([false]);
  });
});

describe("pipeline funnel", () => {
  it("counts projects that reached each stage and the median days spent in a stage", async () => {
    const zone = await insertUnit(t.db, "FUNNEL-Z", "漏斗测试园区", "zone", w.units.dalian);
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const spans = [10, 20, 40];
    for (const [i, days] of spans.entries()) {
      const p = await makeProject(t.db, w.actors.dalianStaff, { unitId: zone.id, startedOn: "2026-01-01" });
      const n = await staff.projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: addDays("2026-01-01", days) });
      if (i === 0) await staff.projects.moveStage({ id: p.id, version: n.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-01", signedAmount: "1000000" });
    }
    await makeProject(t.db, w.actors.dalianStaff, { unitId: zone.id, startedOn: "2026-01-01" });
    const f = (await callerFor(t.db, w.actors.dalianLeader).figures.pipeline({ unit: "FUNNEL-Z" })).funnel;
    expect(f.map((x) => x.reached)).toEqual([4, 3, 1, 0]);
    expect(f.map((x) => x.conversionPct)).toEqual([null, "75.0", "33.3", "0.0"]);
    expect(f[0]!.medianDaysToNext).toBe("20.0"); // 10, 20, 40 days in contact
    expect(f[1]!.medianDaysToNext).toBe("49.0"); // the one signed: 2026-01-11 → 2026-03-01
    expect(f[2]!.medianDaysToNext).toBeNull();
  });
});

describe("activities and follow-ups", () => {
  it("an activity with a next step shows in my follow-ups until done; only the author edits it; all audited", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "跟进测试项目", ownerId: w.actors.dalianStaff.id });
    const today = todayCN();
    const a = await staff.activities.add({ projectId: p.id, kind: "visit", occurredOn: today, summary: "走访企业了解二期计划", nextStep: "报送用地需求", nextDueOn: addDays(today, 3) });
    const [row] = await t.db.select().from(projects).where(eq(projects.id, p.id));
    expect(row!.lastActivityOn).toBe(today);
    const mine = await staff.activities.followUps({});
    expect(mine.steps.rows.map((s) => s.nextStep)).toContain("报送用地需求");
    // the city leader sees it for the units; Shenyang never does
    expect((await callerFor(t.db, w.actors.dalianLeader).activities.followUps({})).steps.rows.map((s) => s.id)).toContain(a.id);
    expect((await callerFor(t.db, w.actors.shenyangStaff).activities.followUps({})).steps.rows.map((s) => s.id)).not.toContain(a.id);
    // another staff of the city may not edit it
    const colleague = await actorOf(t.db, (await insertUser(t.db, "staff2.dl@test.ln.gov.cn", "赵专员", "staff", w.units.dalian.id)).id);
    const notHers = await trpcError(callerFor(t.db, colleague).activities.update({ id: a.id, version: a.version, kind: "call", occurredOn: today, summary: "改写别人的记录" }));
    expect(notHers.code).toBe("FORBIDDEN");
    const zone = await trpcError(callerFor(t.db, w.actors.zoneStaff).activities.update({ id: a.id, version: a.version, kind: "call", occurredOn: today, summary: "改写" }));
    expect(zone.code).toBe("NOT_FOUND"); // the zone cannot even see a city-level project
    const edited = await staff.activities.update({ id: a.id, version: a.version, kind: "visit", occurredOn: today, summary: "走访企业了解二期用地计划", nextStep: "报送用地需求", nextDueOn: addDays(today, 3) });
    const done = await staff.activities.completeNextStep({ id: a.id, version: edited.version });
    expect(done.nextDoneAt).not.toBeNull();
    expect((await staff.activities.followUps({})).steps.rows.map((s) => s.id)).not.toContain(a.id);
    await staff.activities.delete({ id: a.id, version: done.version });
    expect(await staff.activities.byProject({ projectId: p.id })).toEqual([]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, a.id)).orderBy(auditLog.seq);
    expect(audit.map((x) => x.action)).toEqual(["activity.create", "activity.update", "activity.complete_next_step", "activity.delete"]);
    const [upd] = audit.filter((x) => x.action === "activity.update");
    expect(upd).toMatchObject({ actorId: w.actors.dalianStaff.id, unitId: w.units.dalian.id });
    expect(upd!.before).toMatchObject({ summary: "走访企业了解二期计划", version: a.version });
    expect(upd!.after).toMatchObject({ summary: "走访企业了解二期用地计划", version: a.version + 1 });
    const del = audit.find((x) => x.action === "activity.delete")!;
    expect(del.before).toMatchObject({ deletedAt: null });
    expect((del.after as { deletedAt: string | null }).deletedAt).not.toBeNull();
  });

  it("refuses bad activity input with field errors", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff);
    expect((await trpcError(staff.activities.add({ projectId: p.id, kind: "visit", occurredOn: "2099-01-01", summary: "未来的走访" }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(staff.activities.add({ projectId: p.id, kind: "visit", occurredOn: "2026-03-01", summary: "x" }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(staff.activities.add({ projectId: p.id, kind: "visit", occurredOn: "2026-03-01", summary: "到期但无下一步", nextDueOn: "2026-03-05" }))).code).toBe("BAD_REQUEST");
  });

  it("lists stale and 三未 projects of the scope", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const old = await makeProject(t.db, w.actors.dalianStaff, { name: "久未跟进项目", startedOn: "2025-01-05", ownerId: w.actors.dalianStaff.id });
    const signed = await staff.projects.moveStage({ id: old.id, version: old.version, toStage: "signed", toStatus: "active", businessDate: "2025-02-01", signedAmount: "1000000" });
    const f = await staff.activities.followUps({ threeNotDays: 180 });
    const three = f.threeNot.rows.find((x) => x.id === signed.id)!;
    expect(three.missing).toEqual(["unregistered", "not_started", "unfunded"]);
    const quiet = await makeProject(t.db, w.actors.dalianStaff, { name: "停滞项目样例", startedOn: "2025-06-01", ownerId: w.actors.dalianStaff.id });
    expect((await staff.activities.followUps({})).stale.rows.map((x) => x.id)).toContain(quiet.id);
    const leader = await callerFor(t.db, w.actors.dalianLeader).activities.followUps({});
    expect(leader.threeNot.rows.map((x) => x.id)).toContain(signed.id);
    // Shenyang sees none of Dalian's stale or 三未 projects, not even in the counts
    const sy = await callerFor(t.db, w.actors.shenyangStaff).activities.followUps({});
    const syLeader = await callerFor(t.db, w.actors.admin).activities.followUps({});
    expect(sy.stale.rows.map((x) => x.id)).not.toContain(quiet.id);
    expect(sy.threeNot.rows.map((x) => x.id)).not.toContain(signed.id);
    expect(sy.threeNot.total).toBe(0);
    expect(sy.stale.total).toBe(0);
    expect(syLeader.threeNot.total).toBeGreaterThanOrEqual(leader.threeNot.total);
  });

  // Regression: a project signed yesterday whose last activity was 40 days ago showed as stale
  // (coalesce took the activity date and ignored the newer stage change).
  it("staleness counts from the later of the last activity and the last stage change, at exactly staleDays", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const today = todayCN();
    const mk = (name: string, startedOn: string) => makeProject(t.db, w.actors.dalianStaff, { name, startedOn, ownerId: w.actors.dalianStaff.id });
    const moved = await mk("停滞边界：昨日推进", addDays(today, -60));
    await staff.activities.add({ projectId: moved.id, kind: "call", occurredOn: addDays(today, -40), summary: "电话了解进展" });
    const [m] = await t.db.select().from(projects).where(eq(projects.id, moved.id));
    await staff.projects.moveStage({ id: moved.id, version: m!.version, toStage: "negotiation", toStatus: "active", businessDate: addDays(today, -1) });
    const at30 = await mk("停滞边界：30天", addDays(today, -30));
    const at31 = await mk("停滞边界：31天", addDays(today, -31));
    const oldStage = await mk("停滞边界：活动31天前", addDays(today, -45));
    await staff.activities.add({ projectId: oldStage.id, kind: "call", occurredOn: addDays(today, -31), summary: "电话了解进展" });
    const fresh = await mk("停滞边界：活动30天前", addDays(today, -45));
    await staff.activities.add({ projectId: fresh.id, kind: "call", occurredOn: addDays(today, -30), summary: "电话了解进展" });

    const stale = new Set((await staff.activities.followUps({ pageSize: 200 })).stale.rows.map((x) => x.id));
    expect([moved, at30, at31, oldStage, fresh].map((p) => stale.has(p.id))).toEqual([false, false, true, true, false]);
    // the board and the project list read the same definition
    const cards = [...(await staff.board.cards({ stage: "contact", filters: { q: "停滞边界" } })).cards, ...(await staff.board.cards({ stage: "negotiation", filters: { q: "停滞边界" } })).cards];
    expect(Object.fromEntries(cards.map((c) => [c.name, c.isStale]))).toEqual({
      "停滞边界：昨日推进": false, "停滞边界：30天": false, "停滞边界：31天": true, "停滞边界：活动31天前": true, "停滞边界：活动30天前": false,
    });
  });

  // One definition of 三未 for the follow-ups list and the flag: the same projects at the same boundary.
  it("三未: signed more than threeNotDays ago, in follow-ups and flags alike; exactly threeNotDays is not yet", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const leader = callerFor(t.db, w.actors.dalianLeader);
    const today = todayCN();
    const sign = async (name: string, daysAgo: number) => {
      const p = await makeProject(t.db, w.actors.dalianStaff, { name, startedOn: addDays(today, -daysAgo - 10), stage: "negotiation", ownerId: w.actors.dalianStaff.id });
      return staff.projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: addDays(today, -daysAgo), signedAmount: "1000000" });
    };
    const onDay = await sign("三未边界：180天", 180);
    const after = await sign("三未边界：181天", 181);
    const funded = await sign("三未边界：已到资待核实", 200);
    await t.db.update(projects).set({ registeredOn: addDays(today, -190), constructionOn: addDays(today, -185) }).where(eq(projects.id, funded.id));
    const tr = await staff.funds.report({ projectId: funded.id, amount: "1000", arrivedOn: addDays(today, -150) });
    const lost = await sign("三未边界：已终止", 300);
    await staff.projects.moveStage({ id: lost.id, version: lost.version, toStage: "signed", toStatus: "lost", businessDate: addDays(today, -100), reason: "投资方撤回" });
    const ids = [onDay.id, after.id, funded.id, lost.id];

    const listed = async () => {
      const f = await leader.activities.followUps({ pageSize: 200 });
      return Object.fromEntries(f.threeNot.rows.filter((x) => ids.includes(x.id)).map((x) => [x.id, x.missing]));
    };
    const flagged = async () => {
      const out: Record<string, string[]> = {};
      for (const id of ids) for (const f of await leader.flags.forProject({ projectId: id })) if (f.rule === "three_not") out[id] = f.detail.missing;
      return out;
    };
    const expected = { [after.id]: ["unregistered", "not_started", "unfunded"], [funded.id]: ["unfunded"] };
    expect(await listed()).toEqual(expected);
    expect(await flagged()).toEqual(expected);
    // a verified tranche is funds in place
    await leader.funds.verify({ id: tr.id, version: tr.version, decision: "verify" });
    delete expected[funded.id];
    expect(await listed()).toEqual(expected);
    expect(await flagged()).toEqual(expected);
  });

  // Regression: the lists stopped silently at 200 / 200 / 500 rows and the page showed those as totals.
  it("counts every follow-up in the database and pages each list to its end", async () => {
    const city = await insertUnit(t.db, "FU-C", "跟进分页测试市", "city", w.units.province);
    const staffUser = await actorOf(t.db, (await insertUser(t.db, "staff.fu@test.ln.gov.cn", "吴专员", "staff", city.id)).id);
    const api = callerFor(t.db, staffUser);
    const today = todayCN();
    const tpl = await makeProject(t.db, staffUser, { name: "分页模板项目", startedOn: addDays(today, -420), stage: "negotiation", ownerId: staffUser.id });
    await api.projects.moveStage({ id: tpl.id, version: tpl.version, toStage: "signed", toStatus: "active", businessDate: addDays(today, -400), signedAmount: "1000000" });
    await t.db.execute(sql`insert into activities (project_id, kind, occurred_on, summary, next_step, next_due_on, created_by)
      select ${tpl.id}::uuid, 'call', ${addDays(today, -1)}::date, '电话' || i, '回访' || i, ${addDays(today, -1)}::date + (i % 5), ${staffUser.id}::uuid from generate_series(1, 205) i`);
    await t.db.update(projects).set({ lastActivityOn: addDays(today, -1) }).where(eq(projects.id, tpl.id));
    // 520 more signed, quiet projects like it: stale and 三未
    await t.db.execute(sql`insert into projects (code, name, investor_id, capital_type, unit_id, owner_id, industry, source_channel, planned_amount,
        signed_amount, signed_on, stage, status, stage_since, origin_class)
      select code || '-' || i, name || i, investor_id, capital_type, unit_id, owner_id, industry, source_channel, planned_amount,
        signed_amount, signed_on, stage, status, stage_since, origin_class
      from projects, generate_series(1, 520) i where id = ${tpl.id}::uuid`);

    const first = await api.activities.followUps({ pageSize: 200 });
    expect(first.steps.total).toBe(205);
    expect(first.stale.total).toBe(520); // the template has activities now
    expect(first.threeNot.total).toBe(521);
    expect(first.steps.rows).toHaveLength(200);
    const seen = { steps: new Set<string>(), stale: new Set<string>(), threeNot: new Set<string>() };
    for (let page = 1; page <= 3; page++) {
      const f = await api.activities.followUps({ pageSize: 200, stepsPage: page, stalePage: page, threeNotPage: page });
      f.steps.rows.forEach((x) => seen.steps.add(x.id));
      f.stale.rows.forEach((x) => seen.stale.add(x.id));
      f.threeNot.rows.forEach((x) => seen.threeNot.add(x.id));
    }
    expect([seen.steps.size, seen.stale.size, seen.threeNot.size]).toEqual([205, 520, 521]);
    // nobody else's counts change
    expect((await callerFor(t.db, w.actors.shenyangStaff).activities.followUps({})).threeNot.total).toBe(0);
  });
});

describe("saved views", () => {
  it("keeps a user's named filters, only known parameters, and nobody else's views", async () => {
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const v = await staff.views.save({ name: "在谈大项目", query: "?stage=negotiation&major=1&evil=<script>&sort=planned" });
    expect(v.query).toBe("stage=negotiation&major=1&sort=planned");
    await staff.views.save({ name: "在谈大项目", query: "stage=negotiation&major=1&dir=asc" }); // same name: replaced
    expect((await staff.views.list()).map((x) => [x.name, x.query])).toEqual([["在谈大项目", "stage=negotiation&major=1&dir=asc"]]);
    expect(await callerFor(t.db, w.actors.shenyangStaff).views.list()).toEqual([]);
    expect((await trpcError(callerFor(t.db, w.actors.shenyangStaff).views.delete({ id: v.id }))).code).toBe("NOT_FOUND");
    expect((await trpcError(staff.views.save({ name: " ", query: "" }))).code).toBe("BAD_REQUEST");
    await staff.views.delete({ id: v.id });
    expect(await staff.views.list()).toEqual([]);
  });
});

describe("global search", () => {
  it("finds projects, investors and contacts in scope only", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "星海湾金融商务区项目", investor: { newInvestor: { name: "星海湾投资控股有限公司", creditCode: "91440300708461136T", originRegion: "440000" } } });
    await callerFor(t.db, w.actors.dalianStaff).investors.addContact({ investorId: p.investorId, name: "星海联系人", phone: "13912345678" });
    const r = await callerFor(t.db, w.actors.dalianLeader).board.search({ q: "星海" });
    expect(r.projects.map((x) => x.id)).toEqual([p.id]);
    expect(r.investors.map((x) => x.name)).toEqual(["星海湾投资控股有限公司"]);
    expect(r.investors[0]!.projectId).toBe(p.id);
    expect(r.contacts.map((x) => x.name)).toEqual(["星海联系人"]);
    expect((await callerFor(t.db, w.actors.dalianLeader).board.search({ q: "914403007084" })).investors).toHaveLength(1);
    const other = await callerFor(t.db, w.actors.shenyangStaff).board.search({ q: "星海" });
    expect(other).toEqual({ projects: [], investors: [], contacts: [] });
  });

  it("takes % and _ literally", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "绿电100%_直供项目" });
    const api = callerFor(t.db, w.actors.dalianLeader);
    expect((await api.board.search({ q: "100%_" })).projects.map((x) => x.id)).toEqual([p.id]);
    expect((await api.board.search({ q: "%" })).projects.map((x) => x.id)).toEqual([p.id]);
    expect((await api.board.search({ q: "_" })).projects.map((x) => x.id)).toEqual([p.id]);
    expect((await api.board.search({ q: "绿电1%直供" })).projects).toEqual([]);
    expect((await api.board.search({ q: "绿_100" })).projects).toEqual([]);
  });

  it("returns no contact that could not be opened: its investor has no project in scope", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "联系人可见性项目", investor: { newInvestor: { name: "孤立联系人测试有限公司", originRegion: "440000" } } });
    await callerFor(t.db, w.actors.dalianStaff).investors.addContact({ investorId: p.investorId, name: "孤立联系人甲", phone: "13800001111" });
    const api = callerFor(t.db, w.actors.dalianLeader);
    expect((await api.board.search({ q: "孤立联系人甲" })).contacts.map((c) => c.projectId)).toEqual([p.id]);
    await t.db.update(projects).set({ deletedAt: new Date() }).where(eq(projects.id, p.id));
    const r = await api.board.search({ q: "孤立联系人甲" });
    expect(r.contacts).toEqual([]);
  });
});

describe("settings", () => {
  const get = async (key: string) => (await callerFor(t.db, w.actors.admin).settings.list()).find((s) => s.key === key)!;

  it("an admin changes staleDays and the stale lists follow; audited; others may not; values are validated", async () => {
    const admin = callerFor(t.db, w.actors.admin);
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const today = todayCN();
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "设置停滞天数项目", startedOn: addDays(today, -15), ownerId: w.actors.dalianStaff.id });
    const isStale = async () => (await staff.activities.followUps({ pageSize: 200 })).stale.rows.some((x) => x.id === p.id);
    expect(await isStale()).toBe(false);
    expect(await get("staleDays")).toMatchObject({ value: 30, default: 30, version: null });

    for (const actor of [w.actors.dalianStaff, w.actors.dalianLeader, w.actors.provinceLeader])
      expect((await trpcError(callerFor(t.db, actor).settings.set({ key: "staleDays", value: "10" }))).code).toBe("FORBIDDEN");
    for (const value of ["0", "-3", "abc", "1.5", "99999"])
      expect((await trpcError(admin.settings.set({ key: "staleDays", value }))).code, value).toBe("BAD_REQUEST");
    expect((await trpcError(admin.settings.set({ key: "nonsense" as never, value: "1" }))).code).toBe("BAD_REQUEST");

    const saved = await admin.settings.set({ key: "staleDays", value: "10" });
    expect(saved).toMatchObject({ key: "staleDays", value: 10, version: 1 });
    expect(await isStale()).toBe(true);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityType, "setting"), eq(auditLog.entityId, "staleDays")));
    expect(audit.map((a) => [a.action, a.actorId, (a.before as { value?: unknown } | null)?.value ?? null, (a.after as { value: unknown }).value])).toEqual([["setting.update", w.actors.admin.id, null, 10]]);
    // a stale version is refused; the current one passes
    expect((await trpcError(admin.settings.set({ key: "staleDays", value: "20", version: 7 }))).code).toBe("CONFLICT");
    await admin.settings.set({ key: "staleDays", value: "30", version: 1 });
    expect(await isStale()).toBe(false);
    expect(await get("staleDays")).toMatchObject({ value: 30, version: 2 });
  });

  it("changing the major-project threshold changes the badge everywhere at once (derived when read, never stored)", async () => {
    const admin = callerFor(t.db, w.actors.admin);
    const staff = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "大项目阈值测试项目", plannedAmount: "250000000" });
    const views = async () => [
      (await staff.projects.get({ id: p.id })).isMajor,
      (await staff.board.cards({ stage: "contact", filters: { q: "大项目阈值测试" } })).cards[0]!.isMajor,
      (await staff.board.columns({ q: "大项目阈值测试", major: true })).reduce((n, c) => n + c.count, 0) === 1,
    ];
    expect(await views()).toEqual([true, true, true]);
    expect((await trpcError(admin.settings.set({ key: "majorThresholdCny", value: "1.234" }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(admin.settings.set({ key: "majorThresholdCny", value: "0" }))).code).toBe("BAD_REQUEST");
    await admin.settings.set({ key: "majorThresholdCny", value: "300000000" });
    try {
      expect(await get("majorThresholdCny")).toMatchObject({ value: "300000000.00" });
      expect(await views()).toEqual([false, false, false]);
    } finally {
      await admin.settings.set({ key: "majorThresholdCny", value: "100000000" });
    }
    expect(await views()).toEqual([true, true, true]);
  });
});
