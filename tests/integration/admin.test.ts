import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, users } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, seedWorld, TEST_PASSWORD, type TWorld } from "@/db/testing/factories";
import { authenticate, endSessions, loadActor } from "@/server/auth/authenticate";
import { callerFor, trpcError } from "./helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

describe("units", () => {
  it("lists the caller's subtree only", async () => {
    const all = await callerFor(t.db, w.actors.admin).units.list();
    expect(all.map((u) => u.code)).toEqual(["210000", "210100", "210200", "DL-JKQ", "210600"]);
    const dl = await callerFor(t.db, w.actors.dalianStaff).units.list();
    expect(dl.map((u) => u.code)).toEqual(["210200", "DL-JKQ"]);
  });

  it("admin adds, renames and moves a unit; the subtree's paths follow", async () => {
    const api = callerFor(t.db, w.actors.admin);
    const zone = await api.units.create({ code: "210600-GX", name: "丹东高新区", kind: "zone", parentId: w.units.dandong.id });
    expect(zone.path).toBe("210000/210600/210600-GX/");
    const park = await api.units.create({ code: "210600-GX1", name: "丹东高新区一园", kind: "zone", parentId: zone.id });
    const moved = await api.units.update({ id: zone.id, version: zone.version, code: zone.code, name: "丹东边境经济合作区", kind: "zone", parentId: w.units.dalian.id });
    expect(moved.path).toBe("210000/210200/210600-GX/");
    const after = (await api.units.list()).find((u) => u.id === park.id)!;
    expect(after.path).toBe("210000/210200/210600-GX/210600-GX1/");
    const cycle = await trpcError(api.units.update({ id: zone.id, version: moved.version, code: zone.code, name: moved.name, kind: "zone", parentId: park.id }));
    expect(cycle.code).toBe("BAD_REQUEST");
    const dup = await trpcError(api.units.create({ code: "210100", name: "重复", kind: "city", parentId: w.units.province.id }));
    expect(dup.code).toBe("BAD_REQUEST");
  });

  it("only admins manage units", async () => {
    for (const actor of [w.actors.provinceLeader, w.actors.dalianStaff]) {
      const e = await trpcError(callerFor(t.db, actor).units.create({ code: "X-1", name: "测试单位", kind: "zone", parentId: w.units.dalian.id }));
      expect(e.code).toBe("FORBIDDEN");
    }
  });
});

describe("users", () => {
  it("admin creates a user who can then sign in; duplicate emails are refused", async () => {
    const api = callerFor(t.db, w.actors.admin);
    const u = await api.users.create({ email: "New.Staff@Test.ln.gov.cn", name: "新专员", role: "staff", unitId: w.units.dandong.id, password: "Dandong-2026" });
    expect(u.email).toBe("new.staff@test.ln.gov.cn");
    expect(await authenticate(t.db, "new.staff@test.ln.gov.cn", "Dandong-2026")).toMatchObject({ id: u.id });
    const dup = await trpcError(api.users.create({ email: "new.staff@test.ln.gov.cn", name: "x", role: "staff", unitId: w.units.dandong.id, password: "Dandong-2026" }));
    expect(dup.code).toBe("BAD_REQUEST");
    const short = await trpcError(api.users.create({ email: "a@b.cn", name: "x", role: "staff", unitId: w.units.dandong.id, password: "short" }));
    expect(short.code).toBe("BAD_REQUEST");
  });

  it("a role change, a disable and a password reset end the user's sessions", async () => {
    const api = callerFor(t.db, w.actors.admin);
    const u = await api.users.create({ email: "mover@test.ln.gov.cn", name: "调岗人员", role: "staff", unitId: w.units.shenyang.id, password: "Shenyang-2026" });
    const signed = (await authenticate(t.db, u.email, "Shenyang-2026"))!;
    expect(await loadActor(t.db, u.id, signed.sessionVersion)).not.toBeNull();

    const promoted = await api.users.update({ id: u.id, version: u.version, name: u.name, role: "leader", unitId: u.unitId, disabled: false });
    expect(await loadActor(t.db, u.id, signed.sessionVersion)).toBeNull();

    const again = (await authenticate(t.db, u.email, "Shenyang-2026"))!;
    // against the version the admin saw: the reset after the promotion needs the promoted version
    const stale = await trpcError(api.users.resetPassword({ id: u.id, version: u.version, password: "Another-pass-1" }));
    expect(stale.code).toBe("CONFLICT");
    expect(await loadActor(t.db, u.id, again.sessionVersion)).not.toBeNull();
    const reset = await api.users.resetPassword({ id: u.id, version: promoted.version, password: "Another-pass-1" });
    expect(reset.version).toBe(promoted.version + 1);
    expect(await loadActor(t.db, u.id, again.sessionVersion)).toBeNull();
    expect(await authenticate(t.db, u.email, "Shenyang-2026")).toBeNull();

    const third = (await authenticate(t.db, u.email, "Another-pass-1"))!;
    await api.users.update({ id: u.id, version: promoted.version + 1, name: u.name, role: "leader", unitId: u.unitId, disabled: true });
    expect(await loadActor(t.db, u.id, third.sessionVersion)).toBeNull();
    expect(await authenticate(t.db, u.email, "Another-pass-1")).toBeNull();
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, u.id)).orderBy(auditLog.seq);
    expect(audit.map((a) => a.action)).toEqual(["user.create", "user.sign_in", "user.update", "user.sign_in", "user.reset_password", "user.sign_in", "user.update"]);
    expect(JSON.stringify(audit)).not.toContain("$argon2");
  });

  it("admins cannot lock themselves out; others cannot manage users", async () => {
    const me = await t.db.select().from(users).where(eq(users.id, w.actors.admin.id));
    const self = await trpcError(
      callerFor(t.db, w.actors.admin).users.update({ id: me[0]!.id, version: me[0]!.version, name: "管理员", role: "staff", unitId: me[0]!.unitId, disabled: false }),
    );
    expect(self.code).toBe("BAD_REQUEST");
    const leader = await trpcError(callerFor(t.db, w.actors.provinceLeader).users.resetPassword({ id: w.actors.dalianStaff.id, version: 1, password: "whatever-123" }));
    expect(leader.code).toBe("FORBIDDEN");
  });

  it("lists users of the caller's scope only (owner pickers)", async () => {
    const dl = await callerFor(t.db, w.actors.dalianStaff).users.list({});
    expect(new Set(dl.map((u) => u.unitCode))).toEqual(new Set(["210200", "DL-JKQ"]));
  });
});

describe("me", () => {
  it("answers the actor when signed in; signed out it is refused like every other procedure", async () => {
    expect((await trpcError(callerFor(t.db, null).me.get())).code).toBe("UNAUTHORIZED");
    expect((await callerFor(t.db, w.actors.dalianStaff).me.get())!.unitCode).toBe("210200");
    const s = await callerFor(t.db, w.actors.dalianStaff).me.settings();
    expect(s.majorThresholdCny).toBe("100000000.00");
  });

  it("changes the own password with the current one, ending the session", async () => {
    const actor = await actorOf(t.db, (await callerFor(t.db, w.actors.admin).users.create({ email: "self@test.ln.gov.cn", name: "自助", role: "staff", unitId: w.units.dalian.id, password: TEST_PASSWORD })).id);
    const api = callerFor(t.db, actor);
    const wrong = await trpcError(api.me.changePassword({ current: "nope", next: "Brand-new-pass" }));
    expect(wrong.code).toBe("BAD_REQUEST");
    await api.me.changePassword({ current: TEST_PASSWORD, next: "Brand-new-pass" });
    const [row] = await t.db.select().from(users).where(eq(users.id, actor.id));
    expect(await loadActor(t.db, actor.id, row!.sessionVersion - 1)).toBeNull();
    expect(await authenticate(t.db, actor.email, "Brand-new-pass")).not.toBeNull();
    await api.me.setLocale({ locale: "en" });
    expect((await loadActor(t.db, actor.id, row!.sessionVersion))!.locale).toBe("en");
  });

  it("a language switch is audited; the same language again writes nothing", async () => {
    const api = callerFor(t.db, w.actors.zoneStaff);
    const entries = () => t.db.select().from(auditLog).where(and(eq(auditLog.entityId, w.actors.zoneStaff.id), eq(auditLog.action, "user.set_locale")));
    const [before] = await t.db.select().from(users).where(eq(users.id, w.actors.zoneStaff.id));
    await api.me.setLocale({ locale: "en" });
    await api.me.setLocale({ locale: "en" });
    const log = await entries();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actorId: w.actors.zoneStaff.id, unitId: w.units.dlZone.id, before: { locale: before!.locale }, after: { locale: "en" } });
    // a preference, not an edit of the user: an admin's pending edit stays valid
    const [after] = await t.db.select().from(users).where(eq(users.id, w.actors.zoneStaff.id));
    expect(after!.version).toBe(before!.version);
  });

  it("signing in and signing out are audited (a sign-out ends every session: the session version moves)", async () => {
    const u = await callerFor(t.db, w.actors.admin).users.create({ email: "audited@test.ln.gov.cn", name: "审计登录", role: "staff", unitId: w.units.dalian.id, password: "Audited-pass-2026" });
    const signed = (await authenticate(t.db, u.email, "Audited-pass-2026"))!;
    expect(await authenticate(t.db, u.email, "wrong-pass-2026")).toBeNull(); // failures are not
    await endSessions(t.db, u.id);
    const log = await t.db.select().from(auditLog).where(eq(auditLog.entityId, u.id)).orderBy(auditLog.seq);
    expect(log.map((a) => [a.action, a.actorId])).toEqual([
      ["user.create", w.actors.admin.id],
      ["user.sign_in", u.id],
      ["user.sign_out", u.id],
    ]);
    expect(log[2]).toMatchObject({ unitId: w.units.dalian.id, before: { sessionVersion: signed.sessionVersion }, after: { sessionVersion: signed.sessionVersion + 1 } });
    expect(await loadActor(t.db, u.id, signed.sessionVersion)).toBeNull();
  });
});
