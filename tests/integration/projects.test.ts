import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog, projects, stageEvents } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, projectInput, seedWorld, type TWorld } from "@/db/testing/factories";
import { callerFor, trpcError } from "./helpers";

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
    const zh = await trpcError(
      callerFor(t.db, w.actors.dalianStaff).projects.create(projectInput(w.units.dalian.id, { name: "x", plannedAmount: "12.345" })),
    );
    expect(zh.code).toBe("BAD_REQUEST");
    const en = await trpcError(
      callerFor(t.db, w.actors.dalianStaff, "en").projects.create(projectInput(w.units.dalian.id, { plannedAmount: "-5" })),
    );
    expect(en.code).toBe("BAD_REQUEST");
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

  it("does not let staff create a project in another city", async () => {
    const err = await trpcError(callerFor(t.db, w.actors.shenyangStaff).projects.create(projectInput(w.units.dalian.id)));
    expect(err.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(err)).not.toContain("大连");
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

    const list = await sy.projects.list({ q: "长兴岛" });
    expect(list.total).toBe(0);
    const all = await sy.projects.list({ pageSize: 200 });
    expect(all.rows.every((r) => r.unitCode === "210100")).toBe(true);
    const byUnit = await sy.projects.list({ unit: "210200" });
    expect(byUnit.total).toBe(0);

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
