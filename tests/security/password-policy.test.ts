// Passwords: at least 8 characters and not a common one (server/auth/common-passwords.ts), on
// every path that sets one — an admin creating a user or resetting a password, a user changing
// their own — with the message in the user's language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, seedWorld, TEST_PASSWORD, type TWorld } from "@/db/testing/factories";
import { verifyPassword } from "@/server/auth/password";
import { users } from "@/db/schema";
import { eq } from "drizzle-orm";
import { isDatabaseEmpty, seedDemo } from "@/db/seed/demo";
import { AppError } from "@/server/lib/errors";
import { passwordPolicyProblem } from "@/server/users/users";
import { httpCall } from "../integration/helpers";

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const COMMON = ["woaini1314", "qq123456", "12345678", "Password1", "1qaz2wsx", "aaaaaaaa"];

describe("password policy", () => {
  it("an admin cannot create a user with a common password, in either language", async () => {
    for (const password of COMMON) {
      const zh = await httpCall(t.db, w.actors.admin, "zh-CN", "users.create", { email: `pw${password}@test.ln.gov.cn`, name: "弱密码", role: "staff", unitId: w.units.dalian.id, password });
      expect(zh.status, password).toBe(400);
      expect(zh.error!.data.fields).toEqual({ password: "密码过于常见或容易被猜到，请换一个" });
    }
    const en = await httpCall(t.db, w.actors.admin, "en", "users.create", { email: "pw.en@test.ln.gov.cn", name: "Weak", role: "staff", unitId: w.units.dalian.id, password: "woaini1314" });
    expect(en.error!.data.fields).toEqual({ password: "This password is too common or easy to guess — choose another" });
    const short = await httpCall(t.db, w.actors.admin, "zh-CN", "users.create", { email: "pw.short@test.ln.gov.cn", name: "短", role: "staff", unitId: w.units.dalian.id, password: "a123456" });
    expect(short.error!.data.fields).toEqual({ password: "密码至少 8 位" });
    // nor the user's own email as the password
    const own = await httpCall(t.db, w.actors.admin, "zh-CN", "users.create", { email: "wang.fang@test.ln.gov.cn", name: "王芳", role: "staff", unitId: w.units.dalian.id, password: "wang.fang" });
    expect(own.error!.data.fields).toEqual({ password: "密码过于常见或容易被猜到，请换一个" });
    const ok = await httpCall(t.db, w.actors.admin, "zh-CN", "users.create", { email: "pw.ok@test.ln.gov.cn", name: "强密码", role: "staff", unitId: w.units.dalian.id, password: "Binhai-road-88" });
    expect(ok.status).toBe(200);
  });

  it("nor reset one to a common password", async () => {
    const [{ version }] = (await t.db.select({ version: users.version }).from(users).where(eq(users.id, w.actors.dalianStaff.id))) as [{ version: number }];
    const r = await httpCall(t.db, w.actors.admin, "zh-CN", "users.resetPassword", { id: w.actors.dalianStaff.id, version, password: "qq123456789" });
    expect(r.status).toBe(400);
    expect(r.error!.data.fields).toEqual({ password: "密码过于常见或容易被猜到，请换一个" });
    const byEmail = await httpCall(t.db, w.actors.admin, "zh-CN", "users.resetPassword", { id: w.actors.dalianStaff.id, version, password: w.actors.dalianStaff.email });
    expect(byEmail.status).toBe(400);
    const [row] = await t.db.select({ h: users.passwordHash }).from(users).where(eq(users.id, w.actors.dalianStaff.id));
    expect(await verifyPassword(row!.h, TEST_PASSWORD)).toBe(true); // unchanged
  });

  // regression: DEMO_PASSWORD and `db seed --password` skipped the policy
  it("the demo users' password (DEMO_PASSWORD, db seed --password) meets the policy too", async () => {
    for (const [password, key] of [["woaini1314", "errors.password.common"], ["Ab1!", "errors.password.tooShort"], ["12345678", "errors.password.common"]] as const) {
      const d = await createTestDb();
      try {
        const err = await seedDemo(d.db, { password, projects: 5 }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, password).toBeInstanceOf(AppError);
        expect((err as AppError).fields).toEqual({ password: { key } });
        expect(await isDatabaseEmpty(d.db)).toBe(true);
      } finally {
        await d.close();
      }
    }
    expect(passwordPolicyProblem("Binhai-road-88")).toBeNull();
    expect(passwordPolicyProblem("wang.fang", "wang.fang@test.ln.gov.cn")).toBe("errors.password.common");
  });

  it("a user cannot change their own password to a common one", async () => {
    const me = await actorOf(t.db, w.actors.shenyangStaff.id);
    const r = await httpCall(t.db, me, "zh-CN", "me.changePassword", { current: TEST_PASSWORD, next: "a1234567" });
    expect(r.status).toBe(400);
    expect(r.error!.data.fields).toEqual({ next: "密码过于常见或容易被猜到，请换一个" });
    const ok = await httpCall(t.db, me, "zh-CN", "me.changePassword", { current: TEST_PASSWORD, next: "Hunhe-river-2026" });
    expect(ok.status).toBe(200);
  });
});
