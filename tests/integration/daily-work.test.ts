import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
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
    const f = await makeProject(t.db, w.actors.dalianStaff, { name: "板块测试外资项目", capitalType: "foreign", plannedAmount: "5000000", investor: { newInvestor: { name: "香港板块测试有限公司", originCountry: "HK" } } });
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
    expect(mine.steps.map((s) => s.nextStep)).toContain("报送用地需求");
    // the city leader sees it for the units; Shenyang never does
    expect((await callerFor(t.db, w.actors.dalianLeader).activities.followUps({})).steps.map((s) => s.id)).toContain(a.id);
    expect((await callerFor(t.db, w.actors.shenyangStaff).activities.followUps({})).steps.map((s) => s.id)).not.toContain(a.id);
    // another staff of the city may not edit it
    const colleague = await actorOf(t.db, (await insertUser(t.db, "staff2.dl@test.ln.gov.cn", "赵专员", "staff", w.units.dalian.id)).id);
    const notHers = await trpcError(callerFor(t.db, colleague).activities.update({ id: a.id, version: a.version, kind: "call", occurredOn: today, summary: "改写别人的记录" }));
    expect(notHers.code).toBe("FORBIDDEN");
    const zone = await trpcError(callerFor(t.db, w.actors.zoneStaff).activities.update({ id: a.id, version: a.version, kind: "call", occurredOn: today, summary: "改写" }));
    expect(zone.code).toBe("NOT_FOUND"); // the zone cannot even see a city-level project
    const done = await staff.activities.completeNextStep({ id: a.id, version: a.version });
    expect(done.nextDoneAt).not.toBeNull();
    expect((await staff.activities.followUps({})).steps.map((s) => s.id)).not.toContain(a.id);
    await staff.activities.delete({ id: a.id, version: done.version });
    expect(await staff.activities.byProject({ projectId: p.id })).toEqual([]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, a.id));
    expect(audit.map((x) => x.action)).toEqual(["activity.create", "activity.complete_next_step", "activity.delete"]);
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
    const three = f.threeNot.find((x) => x.id === signed.id)!;
    expect(three).toMatchObject({ not_registered: true, not_started: true, not_funded: true });
    const quiet = await makeProject(t.db, w.actors.dalianStaff, { name: "停滞项目样例", startedOn: "2025-06-01", ownerId: w.actors.dalianStaff.id });
    expect((await staff.activities.followUps({})).stale.map((x) => x.id)).toContain(quiet.id);
    expect((await callerFor(t.db, w.actors.shenyangStaff).activities.followUps({})).stale.map((x) => x.id)).not.toContain(quiet.id);
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
});
