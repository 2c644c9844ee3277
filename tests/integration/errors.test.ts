import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, projectInput, seedWorld, type TWorld } from "@/db/testing/factories";
import { httpCall } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

describe("errors as the browser sees them", () => {
  it("field errors are localised in Chinese and English", async () => {
    const bad = projectInput(w.units.dalian.id, { name: "x", plannedAmount: "12.345" });
    const zh = await httpCall(t.db, w.actors.dalianStaff, "zh-CN", "projects.create", bad);
    expect(zh.status).toBe(400);
    expect(zh.error!.message).toBe("输入有误，请检查标红的字段");
    const fields = zh.error!.data.fields as Record<string, string>;
    expect(fields.name).toContain("至少 2 个字");
    expect(fields.plannedAmount).toContain("最多两位小数");
    const en = await httpCall(t.db, w.actors.dalianStaff, "en", "projects.create", bad);
    expect((en.error!.data.fields as Record<string, string>).plannedAmount).toContain("at most two decimals");
    expect(en.error!.data.stack).toBeUndefined();
  });

  it("a stale edit says someone else changed it, in the user's language", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff);
    const move = { id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-04-01" };
    expect((await httpCall(t.db, w.actors.dalianStaff, "zh-CN", "projects.moveStage", move)).status).toBe(200);
    const stale = await httpCall(t.db, w.actors.dalianStaff, "zh-CN", "projects.moveStage", move);
    expect(stale.status).toBe(409);
    expect(stale.error!.message).toContain("已被他人修改");
    const en = await httpCall(t.db, w.actors.dalianStaff, "en", "projects.moveStage", move);
    expect(en.error!.message).toContain("Someone else changed this record");
  });

  it("out of scope and missing read the same, without naming the other unit", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff, { name: "大连保密项目" });
    const other = await httpCall(t.db, w.actors.shenyangStaff, "zh-CN", "projects.get", { id: p.id }, "query");
    const missing = await httpCall(t.db, w.actors.shenyangStaff, "zh-CN", "projects.get", { id: "00000000-0000-4000-8000-000000000000" }, "query");
    expect(other.status).toBe(404);
    expect(other.error!.message).toBe(missing.error!.message);
    expect(JSON.stringify(other.error)).not.toContain("大连");
  });

  it("signed-out calls are refused", async () => {
    const r = await httpCall(t.db, null, "en", "projects.list", {}, "query");
    expect(r.status).toBe(401);
    expect(r.error!.message).toBe("Please sign in");
  });
});
