import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { investors, projects } from "@/db/schema";
import { translate } from "@/server/lib/i18n";
import { auditCount } from "../security/world";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { makeProject, projectInput, seedWorld, type TWorld } from "@/db/testing/factories";
import { callerFor, httpCall, trpcError } from "./helpers";

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

  // regression: a Shenyang staff user updating the investor Dalian shares with it (same credit
  // code) renamed it for Dalian and moved Dalian's project from out_of_province to out_of_city
  it("an investor used by a project outside the actor's scope cannot be edited there; nothing written, no other unit named", async () => {
    const code = "91110000100017643K";
    const dl = await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "北京共享投资有限公司", creditCode: code, originRegion: "110000" } } });
    const sy = await callerFor(t.db, w.actors.shenyangStaff).projects.create(
      projectInput(w.units.shenyang.id, { investor: { newInvestor: { name: "北京共享投资", creditCode: code, originRegion: "110000" } } }),
    );
    expect(sy.investorId).toBe(dl.investorId);
    const [inv] = await t.db.select().from(investors).where(eq(investors.id, dl.investorId));
    const audits = await auditCount(t.db);
    const edits = [
      { name: "沈阳改的名字有限公司", originRegion: "110000" },
      { name: inv!.name, originRegion: "210100" },
    ];
    for (const edit of edits) {
      for (const locale of ["zh-CN", "en"] as const) {
        const res = await httpCall(t.db, w.actors.shenyangStaff, locale, "investors.update", { id: inv!.id, version: inv!.version, creditCode: code, ...edit });
        expect(res.status).toBe(403);
        expect(res.error!.message).toBe(translate(locale, "errors.investor.sharedOutsideScope"));
        expect(res.error!.message).not.toMatch(/大连|Dalian/);
      }
    }
    expect((await t.db.select().from(investors).where(eq(investors.id, inv!.id)))[0]).toEqual(inv);
    expect((await t.db.select().from(projects).where(eq(projects.id, dl.id)))[0]!.originClass).toBe("out_of_province");
    expect(await auditCount(t.db)).toBe(audits);
    // whoever sees every project of the investor may correct it, for all of them
    const fixed = await callerFor(t.db, w.actors.admin).investors.update({ id: inv!.id, version: inv!.version, name: "北京共享投资有限公司", creditCode: code, originRegion: "210100" });
    expect(fixed.originRegion).toBe("210100");
    expect((await t.db.select().from(projects).where(eq(projects.id, dl.id)))[0]!.originClass).toBe("out_of_city");
    expect((await t.db.select().from(projects).where(eq(projects.id, sy.id)))[0]!.originClass).toBe("local");
    // and a user whose scope holds every project of it (here: the only one) may too
    const own = await makeProject(t.db, w.actors.shenyangStaff, { investor: { newInvestor: { name: "沈阳独用投资有限公司", originRegion: "320000" } } });
    const [ownInv] = await t.db.select().from(investors).where(eq(investors.id, own.investorId));
    await callerFor(t.db, w.actors.shenyangStaff).investors.update({ id: ownInv!.id, version: ownInv!.version, name: "沈阳独用投资（更名）有限公司", originRegion: "320000" });
  });

  it("a deleted project of another unit still holds the investor: its history keeps the name it had", async () => {
    const dl = await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "已删项目投资有限公司", originRegion: "320000" } } });
    await callerFor(t.db, w.actors.admin).projects.create(projectInput(w.units.shenyang.id, { investor: { investorId: dl.investorId } }));
    await callerFor(t.db, w.actors.admin).projects.delete({ id: dl.id, version: dl.version });
    const [inv] = await t.db.select().from(investors).where(eq(investors.id, dl.investorId));
    const e = await trpcError(callerFor(t.db, w.actors.shenyangStaff).investors.update({ id: inv!.id, version: inv!.version, name: "改名有限公司", originRegion: "320000" }));
    expect(e.code).toBe("FORBIDDEN");
  });

  it("search treats % _ and \\ as the characters they are", async () => {
    await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "百分之百_投资有限公司", originRegion: "320000" } } });
    await makeProject(t.db, w.actors.dalianStaff, { investor: { newInvestor: { name: "反斜杠\\投资有限公司", originRegion: "320000" } } });
    const api = callerFor(t.db, w.actors.dalianStaff);
    expect((await api.investors.search({ q: "%" })).map((i) => i.name)).toEqual([]);
    expect((await api.investors.search({ q: "_" })).map((i) => i.name)).toEqual(["百分之百_投资有限公司"]);
    expect((await api.investors.search({ q: "百分之百_" })).map((i) => i.name)).toEqual(["百分之百_投资有限公司"]);
    expect((await api.investors.search({ q: "\\" })).map((i) => i.name)).toEqual(["反斜杠\\投资有限公司"]);
    expect((await api.investors.search({ q: "投%公司" })).map((i) => i.name)).toEqual([]);
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

describe("projects.create with a code another unit uses", () => {
  // codes are unique installation-wide, so "taken" is said — and nothing else about that project
  it("answers only that the code is taken: no unit, name, id or other field", async () => {
    const dl = await makeProject(t.db, w.actors.dalianStaff, { code: "DL-SECRET-001" });
    for (const code of ["DL-SECRET-001", "dl-secret-001"]) {
      const res = await httpCall(t.db, w.actors.shenyangStaff, "zh-CN", "projects.create", projectInput(w.units.shenyang.id, { code }));
      expect(res.status).toBe(400);
      expect(res.error!.data.fields).toEqual({ code: translate("zh-CN", "errors.project.codeTaken") });
      const text = JSON.stringify(res.error);
      for (const secret of [dl.id, dl.name, "大连", w.units.dalian.id, dl.investorId]) expect(text).not.toContain(secret);
    }
  });
});
