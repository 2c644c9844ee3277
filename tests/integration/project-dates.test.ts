// Dates that tell a project's story must stay in order: a stage event is never dated before the
// project's latest one (no negative days in a stage), and the milestones after signing (注册、开工、
// 投产) follow the signing, production after construction start, none in the future.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projects, stageEvents } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, projectInput, seedWorld, type TWorld } from "@/db/testing/factories";
import { addDays, todayCN } from "@/lib/dates";
import type { AppError } from "@/server/lib/errors";
import { translate } from "@/server/lib/i18n";
import { callerFor, httpCall, trpcError } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const fields = (e: unknown) => ((e as { cause: AppError }).cause as AppError).fields;

describe("stage event dates", () => {
  // regression: contact@2026-06-01, negotiation@2019-01-01, signed@2018-01-01 were all accepted
  it("refuses a move dated before the project's latest event, with a localised field error; nothing written", async () => {
    const staff = w.actors.dalianStaff;
    const api = callerFor(t.db, staff);
    const p = await makeProject(t.db, staff, { startedOn: "2026-03-01" });
    const back = await trpcError(api.projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2019-01-01" }));
    expect(back.code).toBe("BAD_REQUEST");
    expect(fields(back)).toEqual({ businessDate: { key: "errors.stage.beforeLastEvent", values: { date: "2026-03-01" } } });
    expect(await t.db.select().from(stageEvents).where(eq(stageEvents.projectId, p.id))).toHaveLength(1);

    const res = await httpCall(t.db, staff, "zh-CN", "projects.moveStage", { id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2019-01-01" });
    expect(res.error!.data.fields).toEqual({ businessDate: translate("zh-CN", "errors.stage.beforeLastEvent", { date: "2026-03-01" }) });
    expect(translate("zh-CN", "errors.stage.beforeLastEvent", { date: "2026-03-01" })).toContain("2026-03-01");

    // the same day is fine; the next move is measured against it
    const n = await api.projects.moveStage({ id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-03-01" });
    const s = await trpcError(api.projects.moveStage({ id: n.id, version: n.version, toStage: "signed", toStatus: "active", businessDate: "2026-02-28", signedAmount: "100" }));
    expect(fields(s)!.businessDate!.key).toBe("errors.stage.beforeLastEvent");
  });

  it("a status change (no stage change) counts as an event too", async () => {
    const api = callerFor(t.db, w.actors.dalianStaff);
    const p = await makeProject(t.db, w.actors.dalianStaff, { startedOn: "2026-01-10" });
    const held = await api.projects.moveStage({ id: p.id, version: p.version, toStage: "contact", toStatus: "on_hold", businessDate: "2026-02-20" });
    expect(held.stageSince).toBe("2026-01-10");
    const e = await trpcError(api.projects.moveStage({ id: p.id, version: held.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-02-01" }));
    expect(fields(e)).toEqual({ businessDate: { key: "errors.stage.beforeLastEvent", values: { date: "2026-02-20" } } });
  });
});

describe("milestone dates", () => {
  /** A project signed on 2026-03-10. */
  async function signedProject() {
    const staff = w.actors.dalianStaff;
    const p = await makeProject(t.db, staff, { startedOn: "2026-03-01", stage: "negotiation" });
    await callerFor(t.db, staff).projects.moveStage({ id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-10", signedAmount: "100000000" });
    return (await t.db.select().from(projects).where(eq(projects.id, p.id)))[0]!;
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

  it("refuses milestones before the signing, production before construction and future dates, naming each field", async () => {
    const p = await signedProject();
    const api = callerFor(t.db, w.actors.dalianStaff);
    const tomorrow = addDays(todayCN(), 1);
    const before = await trpcError(api.projects.update(edit(p, { registeredOn: "2026-03-09", constructionOn: "2026-05-01", productionOn: "2026-04-01" })));
    expect(before.code).toBe("BAD_REQUEST");
    expect(fields(before)).toEqual({
      registeredOn: { key: "errors.project.milestoneBeforeSigned", values: { date: "2026-03-10" } },
      productionOn: { key: "errors.project.productionBeforeConstruction" },
    });
    expect(fields(await trpcError(api.projects.update(edit(p, { constructionOn: tomorrow }))))).toEqual({ constructionOn: { key: "errors.date.future" } });
    const en = await httpCall(t.db, w.actors.dalianStaff, "en", "projects.update", edit(p, { registeredOn: "2026-03-09" }));
    expect(en.error!.data.fields).toEqual({ registeredOn: translate("en", "errors.project.milestoneBeforeSigned", { date: "2026-03-10" }) });
    expect((await t.db.select().from(projects).where(eq(projects.id, p.id)))[0]!.version).toBe(p.version);

    const ok = await api.projects.update(edit(p, { registeredOn: "2026-03-10", constructionOn: "2026-04-01", productionOn: "2026-04-01" }));
    expect([ok.registeredOn, ok.constructionOn, ok.productionOn]).toEqual(["2026-03-10", "2026-04-01", "2026-04-01"]);
  });

  it("before signing no milestone is accepted (as before)", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff, { startedOn: "2026-03-01" });
    const e = await trpcError(callerFor(t.db, w.actors.dalianStaff).projects.update(edit(p, { registeredOn: "2026-03-05" })));
    expect(fields(e)).toEqual({ registeredOn: { key: "errors.project.milestoneBeforeSigning" } });
  });
});
