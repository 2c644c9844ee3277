import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("investors", () => {
  it("finds duplicates by credit code or normalised name, within scope only", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff, {
      investor: { newInvestor: { name: "大连船舶重工集团有限公司", creditCode: "91440300708461136T", originRegion: "210200" } },
    });
    const dl = callerFor(t.db, w.actors.dalianStaff);
    expect((await dl.investors.duplicates({ name: "大连船舶重工" })).map((d) => d.reason)).toEqual(["name"]);
    expect((await dl.investors.duplicates({ name: "别的名字", creditCode: "91440300708461136t" })).map((d) => d.reason)).toEqual(["credit_code"]);
    const sy = callerFor(t.db, w.actors.shenyangStaff);
    expect(await sy.investors.duplicates({ name: "大连船舶重工" })).toEqual([]);
    const notVisible = await trpcError(sy.investors.get({ id: p.investorId }));
    expect(notVisible.code).toBe("NOT_FOUND");
  });

  it("reuses a legal entity registered outside scope without revealing it", async () => {
    const dl = await makeProject(t.db, w.actors.dalianStaff, {
      investor: { newInvestor: { name: "平安保险（集团）", creditCode: "914403001922038216", originRegion: "440000" } },
    });
    const sy = await callerFor(t.db, w.actors.shenyangStaff).projects.create(
      projectInput(w.units.shenyang.id, { investor: { newInvestor: { name: "中国平安", creditCode: "914403001922038216", originRegion: "440000" } } }),
    );
    expect(sy.investorId).toBe(dl.investorId);
    // the Dalian project stays invisible to Shenyang through the shared investor
    const inv = await callerFor(t.db, w.actors.shenyangStaff).investors.get({ id: sy.investorId });
    expect(inv.projects.map((p) => p.id)).toEqual([sy.id]);
  });

  it("updates an investor with a version check and rejects an invalid credit code", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff);
    const api = callerFor(t.db, w.actors.dalianStaff);
    const inv = await api.investors.get({ id: p.investorId });
    const bad = await trpcError(api.investors.update({ id: inv.id, version: inv.version, name: inv.name, creditCode: "123", originRegion: "320000" }));
    expect(bad.code).toBe("BAD_REQUEST");
    const ok = await api.investors.update({ id: inv.id, version: inv.version, name: "江苏新名称科技有限公司", creditCode: "91350100M000100Y43", originRegion: "320000" });
    expect(ok.nameNormalized).toBe("江苏新名称科技");
    // a corrected origin reclassifies the investor's projects
    const moved = await api.investors.update({ id: inv.id, version: ok.version, name: ok.name, creditCode: ok.creditCode, originRegion: "210200" });
    expect((await api.projects.get({ id: p.id })).originClass).toBe("local");
    await api.investors.update({ id: inv.id, version: moved.version, name: ok.name, creditCode: ok.creditCode, originRegion: "320000" });
    expect((await api.projects.get({ id: p.id })).originClass).toBe("out_of_province");
    const refreshed = await api.investors.get({ id: inv.id });
    const stale = await trpcError(api.investors.update({ id: inv.id, version: inv.version, name: "又一个名字", originRegion: "320000" }));
    expect(stale.code).toBe("CONFLICT");
    const leader = await trpcError(callerFor(t.db, w.actors.dalianLeader).investors.update({ id: inv.id, version: refreshed.version, name: "x公司", originRegion: "320000" }));
    expect(leader.code).toBe("FORBIDDEN");
  });

  it("contacts belong to the unit that recorded them", async () => {
    const p = await makeProject(t.db, w.actors.shenyangStaff, { investor: { newInvestor: { name: "华润置地", originRegion: "440000" } } });
    const api = callerFor(t.db, w.actors.shenyangStaff);
    const c = await api.investors.addContact({ investorId: p.investorId, name: "赵总", title: "总经理", phone: "13900000000", email: "zhao@example.cn" });
    const updated = await api.investors.updateContact({ id: c.id, version: c.version, name: "赵总", title: "董事长", phone: "13900000000", email: "" });
    expect(updated.title).toBe("董事长");
    expect(updated.email).toBeNull();
    const dl = callerFor(t.db, w.actors.dalianStaff);
    const hidden = await trpcError(dl.investors.removeContact({ id: c.id, version: updated.version }));
    expect(hidden.code).toBe("NOT_FOUND");
    const badPhone = await trpcError(api.investors.addContact({ investorId: p.investorId, name: "钱经理", phone: "call me" }));
    expect(badPhone.code).toBe("BAD_REQUEST");
    await api.investors.removeContact({ id: c.id, version: updated.version });
    expect((await api.investors.get({ id: p.investorId })).contacts).toHaveLength(0);
  });

  it("searches by name and credit code prefix", async () => {
    await makeProject(t.db, w.actors.zoneStaff, { investor: { newInvestor: { name: "金普新区港口物流有限公司", creditCode: "91210200118401394N", originRegion: "210200" } } });
    const api = callerFor(t.db, w.actors.dalianLeader);
    expect((await api.investors.search({ q: "港口物流" })).map((i) => i.name)).toEqual(["金普新区港口物流有限公司"]);
    expect((await api.investors.search({ q: "9121020011840" })).map((i) => i.creditCode)).toEqual(["91210200118401394N"]);
    expect(await callerFor(t.db, w.actors.shenyangStaff).investors.search({ q: "港口物流" })).toEqual([]);
  });
});

describe("projects.delete", () => {
  it("admin soft-deletes; the project then answers like a missing one", async () => {
    const p = await makeProject(t.db, w.actors.dalianStaff);
    const staff = await trpcError(callerFor(t.db, w.actors.dalianStaff).projects.delete({ id: p.id, version: p.version }));
    expect(staff.code).toBe("FORBIDDEN");
    await callerFor(t.db, w.actors.admin).projects.delete({ id: p.id, version: p.version });
    const gone = await trpcError(callerFor(t.db, w.actors.dalianStaff).projects.get({ id: p.id }));
    expect(gone.code).toBe("NOT_FOUND");
  });
});
