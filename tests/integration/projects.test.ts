import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { ZodError } from "zod";
import { auditLog, projects, stageEvents } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, insertUnit, insertUser, makeProject, projectInput, seedWorld, type TWorld } from "@/db/testing/factories";
import { dec } from "@/lib/money";
import type { TActor } from "@/server/auth/actor";
import { AppError } from "@/server/lib/errors";
import { translate } from "@/server/lib/i18n";
import { findProjects } from "@/server/projects/find-projects";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import { callerFor, httpCall, trpcError } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

describe("projects.create", () => {
  it("creates a project with an inline investor, its first stage event and an audit entry", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    const p = await api.projects.create(projectInput(w.units.dalian.id, { name: "大连湾海底隧道配套产业园", startedOn: "2026-02-10" }));
    expect(p.code).toMatch(/^LN-2026-\d{4}$/);
    expect(p.stage).toBe("contact");
    expect(p.originClass).toBe("out_of_province"); // investor from 江苏
    const events = await t.db.select().from(stageEvents).where(eq(stageEvents.projectId, p.id));
    expect(events).toHaveLength(1);
    expect(events[0]!.businessDate).toBe("2026-02-10");
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, p.id));
    expect(audit.map((a) => a.action)).toContain("project.create");
  });

  it("numbers codes per year without gaps", async () => {
    const api = callerFor(t.db, w.actors.shenyangStaff);
    const a = await api.projects.create(projectInput(w.units.shenyang.id, { startedOn: "2025-06-01" }));
    const b = await api.projects.create(projectInput(w.units.shenyang.id, { startedOn: "2025-07-01" }));
    expect(Number(b.code.slice(-4))).toBe(Number(a.code.slice(-4)) + 1);
    expect(a.code.startsWith("LN-2025-")).toBe(true);
  });

  it("returns localised field errors for bad input", async () => {
    const bad = projectInput(w.units.dalian.id, { name: "x", plannedAmount: "12.345" });
    // the procedure names each bad field with its message key
    const err = await trpcError(callerFor(t.db, w.actors.dalianStaff).projects.create(bad));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.cause).toBeInstanceOf(ZodError);
    const keys = Object.fromEntries((err.cause as ZodError).issues.map((i) => [i.path.join("."), i.message]));
    expect(keys).toEqual({ name: "errors.project.nameRequired", plannedAmount: "errors.amount.format" });
    // and a browser gets those fields in its language
    for (const locale of ["zh-CN", "en"] as const) {
      const res = await httpCall(t.db, w.actors.dalianStaff, locale, "projects.create", bad);
      expect(res.status).toBe(400);
      expect(res.error!.message).toBe(translate(locale, "errors.invalidInput"));
      expect(res.error!.data.fields).toEqual({
        name: translate(locale, "errors.project.nameRequired"),
        plannedAmount: translate(locale, "errors.amount.format"),
      });
    }
    expect(translate("en", "errors.amount.format")).not.toBe(translate("zh-CN", "errors.amount.format"));
    const negative = await httpCall(t.db, w.actors.dalianStaff, "en", "projects.create", projectInput(w.units.dalian.id, { plannedAmount: "-5" }));
    expect(negative.error!.data.fields).toEqual({ plannedAmount: translate("en", "errors.amount.format") });
    // a field error the service finds (not zod): same shape
    const future = await trpcError(callerFor(t.db, w.actors.dalianStaff).projects.create(projectInput(w.units.dalian.id, { startedOn: "2999-01-01" })));
    expect(future.cause).toBeInstanceOf(AppError);
    expect((future.cause as AppError).fields).toEqual({ startedOn: { key: "errors.date.future" } });
  });

  it("refuses a credit code with a wrong check digit", async () => {
    const err = await trpcError(
      callerFor(t.db, w.actors.dalianStaff).projects.create(
        projectInput(w.units.dalian.id, { investor: { newInvestor: { name: "某某科技有限公司", creditCode: "91440300708461136X" } } }),
      ),
    );
    expect(err.code).toBe("BAD_REQUEST");
  });

  it("warns about a duplicate investor by normalised name, and creates after confirmation", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    await api.projects.create(projectInput(w.units.dalian.id, { investor: { newInvestor: { name: "恒力石化股份有限公司", originRegion: "320000" } } }));
    const err = await trpcError(
      api.projects.create(projectInput(w.units.dalian.id, { investor: { newInvestor: { name: "恒力石化 集团", originRegion: "320000" } } })),
    );
    expect(err.code).toBe("CONFLICT");
    const ok = await api.projects.create(
      projectInput(w.units.dalian.id, { investor: { newInvestor: { name: "恒力石化 集团", originRegion: "320000" }, confirmDuplicate: true } }),
    );
    expect(ok.id).toBeTruthy();
  });

  it("refuses a same-credit-code investor in scope even with confirmation", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    const inv = { name: "平安银行", creditCode: "914403001922038216", originRegion: "440000" };
    await api.projects.create(projectInput(w.units.dalian.id, { investor: { newInvestor: inv } }));
    const err = await trpcError(
      api.projects.create(projectInput(w.units.dalian.id, { investor: { newInvestor: { ...inv, name: "平安银行大连分行" }, confirmDuplicate: true } })),
    );
    expect(err.code).toBe("CONFLICT");
  });

  it("does not let staff create a project in another city; the answer is that of an unknown unit", async () => {
    const err = await trpcError(callerFor(t.db, w.actors.shenyangStaff).projects.create(projectInput(w.units.dalian.id)));
    expect(err.code).toBe("BAD_REQUEST");
    const cause = err.cause as AppError;
    expect(cause).toBeInstanceOf(AppError);
    expect(cause.code).toBe("INVALID");
    expect(cause.fields).toEqual({ unitId: { key: "errors.project.unitRequired" } });
    const unknown = await trpcError(callerFor(t.db, w.actors.shenyangStaff).projects.create(projectInput("00000000-0000-4000-8000-000000000000")));
    const u = unknown.cause as AppError;
    expect([err.message, cause.msg, cause.fields, cause.data]).toEqual([unknown.message, u.msg, u.fields, u.data]);
    // what the browser reads names nothing of 大连
    const res = await httpCall(t.db, w.actors.shenyangStaff, "zh-CN", "projects.create", projectInput(w.units.dalian.id));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.error)).not.toMatch(/大连|210200/);
    expect(res.error!.data.fields).toEqual({ unitId: translate("zh-CN", "errors.project.unitRequired") });
  });

  it("does not let a leader write projects", async () => {
    const err = await trpcError(callerFor(t.db, w.actors.dalianLeader).projects.create(projectInput(w.units.dalian.id)));
    expect(err.code).toBe("FORBIDDEN");
  });
});

describe("scope", () => {
  it("staff of one city cannot read, list or change another city's project; it answers like a missing id", async () => {
    const dl = await makeProject(t.db, w.actors.dalianStaff, { name: "大连长兴岛石化配套项目" });
    const sy = callerFor(t.db, w.actors.shenyangStaff);

    const missing = await trpcError(sy.projects.get({ id: "00000000-0000-4000-8000-000000000000" }));
    const foreign = await trpcError(sy.projects.get({ id: dl.id }));
    expect(foreign.code).toBe("NOT_FOUND");
    expect(foreign.message).toBe(missing.message);

    // positive controls: the same queries find it for 大连, so the empty answers below mean scope
    const dlApi = callerFor(t.db, w.actors.dalianStaff);
    const dlList = await dlApi.projects.list({ q: "长兴岛" });
    expect(dlList.rows.map((r) => r.id)).toContain(dl.id);
    expect(dlList.total).toBeGreaterThan(0);
    const dlByUnit = await dlApi.projects.list({ unit: "210200", pageSize: 200 });
    expect(dlByUnit.rows.length).toBeGreaterThan(0);
    expect(dlByUnit.rows.map((r) => r.id)).toContain(dl.id);
    await makeProject(t.db, w.actors.shenyangStaff, { name: "沈阳浑南科技城项目" });

    const list = await sy.projects.list({ q: "长兴岛" });
    expect(list.total).toBe(0);
    expect(list.rows).toEqual([]);
    const all = await sy.projects.list({ pageSize: 200 });
    expect(all.rows.length).toBeGreaterThan(0);
    expect(all.rows.every((r) => r.unitCode === "210100")).toBe(true);
    expect(all.rows.map((r) => r.id)).not.toContain(dl.id);
    const byUnit = await sy.projects.list({ unit: "210200" });
    expect(byUnit.total).toBe(0);
    expect(byUnit.rows).toEqual([]);

    const upd = await trpcError(
      sy.projects.update({ ...projectInput(w.units.shenyang.id), id: dl.id, version: dl.version, investorId: dl.investorId }),
    );
    expect(upd.code).toBe("NOT_FOUND");
    const mv = await trpcError(
      sy.projects.moveStage({ id: dl.id, version: dl.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-04-01" }),
    );
    expect(mv.code).toBe("NOT_FOUND");
    const [row] = await t.db.select().from(projects).where(eq(projects.id, dl.id));
    expect(row!.stage).toBe("contact");
    expect(row!.version).toBe(dl.version);
  });

  it("a city leader and staff of a zone see their subtree, the province sees everything", async () => {
    const zoneProject = await makeProject(t.db, w.actors.zoneStaff, { name: "金普新区氢能装备产业园" });
    const dlLeader = await callerFor(t.db, w.actors.dalianLeader).projects.get({ id: zoneProject.id });
    expect(dlLeader.unit.code).toBe("DL-JKQ");
    const prov = await callerFor(t.db, w.actors.provinceLeader).projects.list({ q: "氢能" });
    expect(prov.total).toBe(1);
    const dlStaff = await callerFor(t.db, w.actors.dalianStaff).projects.list({ unit: "DL-JKQ" });
    expect(dlStaff.rows.map((r) => r.id)).toContain(zoneProject.id);
    const zone = await callerFor(t.db, w.actors.zoneStaff).projects.list({ unit: "210200" });
    expect(zone.total).toBe(0);
  });

  it("autocomplete never shows another city's investors", async () => {
    await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "大连独有投资有限公司", originRegion: "210200" } } });
    const found = await callerFor(t.db, w.actors.shenyangStaff).investors.search({ q: "独有" });
    expect(found).toHaveLength(0);
    const own = await callerFor(t.db, w.actors.dalianStaff).investors.search({ q: "独有" });
    expect(own).toHaveLength(1);
  });
});

describe("projects.moveStage", () => {
  it("moves forward with a note, requires signing date and amount, and records the timeline", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff);
    const n = await api.projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-04-01", note: "第二轮洽谈" });
    const noAmount = await trpcError(api.projects.moveStage({ id: p.id, version: n.version, toStage: "signed", toStatus: "active", businessDate: "2026-05-20" }));
    expect(noAmount.code).toBe("BAD_REQUEST");
    const s = await api.projects.moveStage({ id: p.id, version: n.version, toStage: "signed", toStatus: "active", businessDate: "2026-05-20", signedAmount: "180000000" });
    expect(s.signedOn).toBe("2026-05-20");
    expect(s.signedAmount).toBe("180000000.00");
    const detail = await api.projects.get({ id: p.id });
    expect(detail.events.map((e) => e.toStage)).toEqual(["signed", "negotiation", "contact"]);
    expect(detail.events[0]!.actorName).toBe("刘专员");
    expect(detail.events[1]!.note).toBe("第二轮洽谈");
  });

  it("refuses funds by hand, backwards without reason, and a stale version", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff);
    const funds = await trpcError(api.projects.moveStage({ id: p.id, version: p.version, toStage: "funds", toStatus: "active", businessDate: "2026-04-01" }));
    expect(funds.code).toBe("BAD_REQUEST");
    const n = await api.projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-04-01" });
    const back = await trpcError(api.projects.moveStage({ id: p.id, version: n.version, toStage: "contact", toStatus: "active", businessDate: "2026-04-02" }));
    expect(back.code).toBe("BAD_REQUEST");
    const stale = await trpcError(api.projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-04-02", signedAmount: "1000" }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toBe("errors.staleVersion");
    const lost = await api.projects.moveStage({ id: p.id, version: n.version, toStage: "negotiation", toStatus: "lost", businessDate: "2026-04-03", reason: "投资方转投他省" });
    expect(lost.status).toBe("lost");
    expect(lost.statusReason).toBe("投资方转投他省");
  });
});

describe("projects.update", () => {
  it("refuses a stale edit instead of overwriting", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff);
    const input = { ...projectInput(w.units.dalian.id), id: p.id, investorId: p.investorId };
    const first = await api.projects.update({ ...input, version: p.version, name: "第一次修改" });
    expect(first.version).toBe(p.version + 1);
    const second = await trpcError(api.projects.update({ ...input, version: p.version, name: "第二次修改" }));
    expect(second.code).toBe("CONFLICT");
    const [row] = await t.db.select().from(projects).where(eq(projects.id, p.id));
    expect(row!.name).toBe("第一次修改");
  });
});

describe("findProjects: filters, sort, paging and search on known rows", () => {
  // five projects in 丹东 (nobody else in this file works there) whose every attribute is chosen
  // here, so each filter's answer is written down, not computed by the code under test
  let dd: TActor;
  let owner1: TActor;
  let owner2: TActor;
  const P: Record<"p1" | "p2" | "p3" | "p4" | "p5", { id: string; code: string }> = {} as never;
  const ids = (r: { rows: Array<{ id: string }> }) => r.rows.map((x) => x.id).sort();
  const of = (...names: Array<keyof typeof P>) => names.map((n) => P[n].id).sort();
  const find = (input: Parameters<typeof findProjects>[2]) => findProjects(t.db, dd, { pageSize: 200, ...input });

  beforeAll(async () => {
    const zone = await insertUnit(t.db, "DD-BHQ", "丹东边境经济合作区", "zone", w.units.dandong);
    dd = await actorOf(t.db, (await insertUser(t.db, "staff.dd@test.ln.gov.cn", "孙专员", "staff", w.units.dandong.id)).id);
    owner1 = dd;
    owner2 = await actorOf(t.db, (await insertUser(t.db, "staff2.dd@test.ln.gov.cn", "周专员", "staff", w.units.dandong.id)).id);
    const inv = (name: string, origin: { originRegion?: string; originCountry?: string }) => ({ newInvestor: { name, ...origin } });
    const p1 = await makeProject(t.db, dd, {
      name: "丹东甲港口物流园", unitId: w.units.dandong.id, ownerId: owner1.id, plannedAmount: "250000000.00", investor: inv("鸭绿江物流集团有限公司", { originRegion: "320000" }),
    });
    const p2 = await makeProject(t.db, dd, {
      name: "丹东乙仪器仪表基地", unitId: w.units.dandong.id, ownerId: owner2.id, capitalType: "foreign", plannedAmount: "5000000.00",
      investor: inv("Tokyo Instruments Co., Ltd.", { originCountry: "JP" }),
    });
    const p3 = await makeProject(t.db, dd, {
      name: "丹东丙草莓深加工项目", unitId: w.units.dandong.id, ownerId: owner1.id, plannedAmount: "50000000.00", investor: inv("大连果业发展有限公司", { originRegion: "210200" }),
    });
    const p4 = await makeProject(t.db, dd, {
      name: "丹东丁新材料产业园", unitId: w.units.dandong.id, ownerId: owner2.id, plannedAmount: "120000000.00", investor: inv("丹东本地新材料有限公司", { originRegion: "210600" }),
    });
    const p5 = await makeProject(t.db, dd, {
      name: "丹东戊边境贸易中心", unitId: zone.id, ownerId: owner2.id, plannedAmount: "30000000.00", investor: inv("北京边贸投资有限公司", { originRegion: "110000" }),
    });
    const move = (p: { id: string; version: number }, to: Partial<Parameters<typeof moveProjectStage>[2]>) =>
      moveProjectStage(t.db, dd, { id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-03-10", ...to });
    const n2 = await move(p2, {});
    await move(n2, { toStatus: "on_hold", businessDate: "2026-03-20", reason: "等待投资方董事会决策" });
    const n3 = await move(p3, {});
    await move(n3, { toStage: "signed", businessDate: "2026-04-01", signedAmount: "48000000" });
    const n4 = await move(p4, {});
    await move(n4, { toStatus: "lost", businessDate: "2026-04-02", reason: "选址转至外省" });
    Object.assign(P, { p1, p2, p3, p4, p5 });
  });

  it("the rows are what the filters below assume", async () => {
    const all = await find({});
    expect(all.total).toBe(5);
    const byId = new Map(all.rows.map((r) => [r.id, r]));
    expect([P.p1, P.p2, P.p3, P.p4, P.p5].map((p) => { const r = byId.get(p.id)!; return [r.stage, r.status, r.capitalType, r.originClass, r.isMajor]; })).toEqual([
      ["contact", "active", "domestic", "out_of_province", true],
      ["negotiation", "on_hold", "foreign", "abroad", false],
      ["signed", "active", "domestic", "out_of_city", false],
      ["negotiation", "lost", "domestic", "local", true],
      ["contact", "active", "domestic", "out_of_province", false],
    ]);
  });

  it("filters by stage, status, capital type, origin class, owner, major project and unit", async () => {
    expect(ids(await find({ stage: ["contact"] }))).toEqual(of("p1", "p5"));
    expect(ids(await find({ stage: ["negotiation"] }))).toEqual(of("p2", "p4"));
    expect(ids(await find({ stage: ["signed", "funds"] }))).toEqual(of("p3"));
    expect((await find({ stage: ["funds"] })).total).toBe(0);
    expect(ids(await find({ status: ["on_hold"] }))).toEqual(of("p2"));
    expect(ids(await find({ status: ["lost"] }))).toEqual(of("p4"));
    expect(ids(await find({ status: ["on_hold", "lost"] }))).toEqual(of("p2", "p4"));
    expect(ids(await find({ status: ["active"] }))).toEqual(of("p1", "p3", "p5"));
    expect(ids(await find({ capitalType: "foreign" }))).toEqual(of("p2"));
    expect(ids(await find({ capitalType: "domestic" }))).toEqual(of("p1", "p3", "p4", "p5"));
    expect(ids(await find({ originClass: ["out_of_province"] }))).toEqual(of("p1", "p5"));
    expect(ids(await find({ originClass: ["abroad", "local"] }))).toEqual(of("p2", "p4"));
    expect(ids(await find({ originClass: ["out_of_city"] }))).toEqual(of("p3"));
    expect(ids(await find({ ownerId: owner1.id }))).toEqual(of("p1", "p3"));
    expect(ids(await find({ ownerId: owner2.id }))).toEqual(of("p2", "p4", "p5"));
    expect(ids(await find({ major: true }))).toEqual(of("p1", "p4"));
    expect(ids(await find({ major: false }))).toEqual(of("p2", "p3", "p5"));
    expect(ids(await find({ unit: "DD-BHQ" }))).toEqual(of("p5"));
    expect(ids(await find({ unit: "210600" }))).toEqual(of("p1", "p2", "p3", "p4", "p5"));
    expect(ids(await find({ unit: w.units.dandong.id }))).toEqual(of("p1", "p2", "p3", "p4", "p5"));
    // combined filters intersect
    expect(ids(await find({ stage: ["contact"], originClass: ["out_of_province"], unit: "DD-BHQ" }))).toEqual(of("p5"));
    expect(ids(await find({ major: true, status: ["active"] }))).toEqual(of("p1"));
    expect((await find({ capitalType: "foreign", stage: ["contact"] })).total).toBe(0);
  });

  it("searches by project name, code and investor name", async () => {
    expect(ids(await find({ q: "草莓" }))).toEqual(of("p3"));
    expect(ids(await find({ q: "鸭绿江" }))).toEqual(of("p1"));
    expect(ids(await find({ q: "tokyo instruments" }))).toEqual(of("p2")); // investor name, any case
    expect(ids(await find({ q: P.p4.code }))).toEqual(of("p4"));
    expect(ids(await find({ q: P.p4.code.toLowerCase() }))).toEqual(of("p4"));
    expect((await find({ q: P.p4.code.slice(0, 8) })).total).toBe(5); // "LN-2026-": every code here
    expect((await find({ q: "%" })).total).toBe(0); // a LIKE wildcard is a literal character
    expect((await find({ q: "不存在的名称" })).total).toBe(0);
  });

  it("sorts by code, planned amount and stage, both ways", async () => {
    const order = async (sort: "code" | "planned" | "stage", dir: "asc" | "desc") => (await find({ sort, dir })).rows.map((r) => r.id);
    expect(await order("code", "asc")).toEqual([P.p1, P.p2, P.p3, P.p4, P.p5].map((p) => p.id));
    expect(await order("code", "desc")).toEqual([P.p5, P.p4, P.p3, P.p2, P.p1].map((p) => p.id));
    // planned: 250 000 000 (p1), 5 000 000 (p2), 50 000 000 (p3), 120 000 000 (p4), 30 000 000 (p5)
    expect(await order("planned", "asc")).toEqual([P.p2, P.p5, P.p3, P.p4, P.p1].map((p) => p.id));
    expect(await order("planned", "desc")).toEqual([P.p1, P.p4, P.p3, P.p5, P.p2].map((p) => p.id));
    const planned = (await find({ sort: "planned", dir: "asc" })).rows.map((r) => r.plannedAmount!);
    expect(planned.every((v, i) => i === 0 || dec(planned[i - 1]!).cmp(v) <= 0)).toBe(true);
    const stages = (await find({ sort: "stage", dir: "asc" })).rows.map((r) => r.stage);
    expect(stages).toEqual(["contact", "contact", "negotiation", "negotiation", "signed"]);
    expect((await find({ sort: "stage", dir: "desc" })).rows.map((r) => r.stage)).toEqual(["signed", "negotiation", "negotiation", "contact", "contact"]);
  });

  it("pages through the rows: each once, the total on every page", async () => {
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push(await findProjects(t.db, dd, { sort: "code", dir: "asc", page, pageSize: 2 }));
    expect(pages.map((p) => p.rows.length)).toEqual([2, 2, 1, 0]);
    expect(pages.every((p) => p.total === 5)).toBe(true);
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual([P.p1, P.p2, P.p3, P.p4, P.p5].map((p) => p.id));
    // the procedure pages the same way
    const viaApi = await callerFor(t.db, dd).projects.list({ sort: "code", dir: "asc", page: 2, pageSize: 2 });
    expect(viaApi.rows.map((r) => r.id)).toEqual([P.p3.id, P.p4.id]);
  });
});
