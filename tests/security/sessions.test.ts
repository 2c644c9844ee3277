// Sessions that end: sign-out, a password change (own or by an admin), a role or unit change and
// disabling end every session of the user on its next request — a copied token included — and
// every session ends after its idle and absolute lifetimes. All through next-auth's own handler
// with the app's options (tests/security/support/next-auth-client.ts) and the app's getActor path
// (actorForSession → loadActor).
import { eq } from "drizzle-orm";
import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, seedWorld, TEST_PASSWORD, type TWorld } from "@/db/testing/factories";
import { actorForSession } from "@/server/auth/authenticate";
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, SESSION_REFRESH_SECONDS } from "@/server/auth/session-lifetime";
import { refreshSessionToken } from "@/server/auth/session-refresh";
import { callerFor } from "../integration/helpers";
import { AuthClient, TEST_AUTH_SECRET, testAuthOptions } from "./support/next-auth-client";

let t: TTestDb;
let w: TWorld;
const nextAuthErrors: unknown[] = [];
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const options = () => testAuthOptions(t.db, nextAuthErrors);
let seq = 0;
/** A fresh staff user (own sign-in counters) and a signed-in browser for them. */
async function signedIn(password = TEST_PASSWORD) {
  const email = `session${++seq}@test.ln.gov.cn`;
  const u = await callerFor(t.db, w.actors.admin).users.create({ email, name: `会话${seq}`, role: "staff", unitId: w.units.dalian.id, password });
  const browser = new AuthClient(options(), { "x-forwarded-for": `198.51.100.${seq}` });
  const r = await browser.signIn(email, password);
  expect(r.ok, `sign-in of ${email}: ${JSON.stringify(r)}`).toBe(true);
  return { u, email, browser, token: browser.sessionToken! };
}
/** The app's getActor() for a session token at a moment. */
const actorFor = async (browser: AuthClient, token: string | null, now = Date.now()) => actorForSession(t.db, await browser.session(token), now);

describe("sessions end on the next request", () => {
  it("signing in through next-auth gives a session the app accepts", async () => {
    const { u, browser, token } = await signedIn();
    const session = (await browser.session()) as unknown;
    expect(session).toMatchObject({ uid: u.id, sv: expect.any(Number), authAt: expect.any(Number), iat: expect.any(Number) });
    expect((await actorFor(browser, token))?.email).toBe(u.email);
    // no session without a cookie, or with a forged one
    expect(await actorFor(browser, null)).toBeNull();
    expect(await actorFor(browser, `${token.slice(0, -4)}AAAA`)).toBeNull();
  });

  it("sign-out ends every session of the user, a copied token included", async () => {
    const { u, email, browser, token } = await signedIn();
    const other = new AuthClient(options(), { "x-forwarded-for": "198.51.100.200" });
    expect((await other.signIn(email, TEST_PASSWORD)).ok).toBe(true);
    expect(await actorFor(other, other.sessionToken!)).not.toBeNull();

    const out = await browser.signOut();
    expect(out.status).toBe(200);
    expect(browser.sessionToken).toBeUndefined(); // the cookie is cleared …
    expect(await actorFor(browser, token)).toBeNull(); // … and a copy of it no longer works
    expect(await actorFor(other, other.sessionToken!)).toBeNull(); // nor does the other browser's session
    const [row] = await t.db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, u.id));
    expect(row!.sv).toBe(2);
    // signing in again works
    expect((await browser.signIn(email, TEST_PASSWORD)).ok).toBe(true);
    expect(await actorFor(browser, browser.sessionToken!)).not.toBeNull();
  });

  it("sign-out without next-auth's CSRF token is refused and ends nothing", async () => {
    const { browser, token } = await signedIn();
    const out = await browser.signOut({ csrf: false });
    expect(out.location).toContain("csrf=true");
    expect(await actorFor(browser, token)).not.toBeNull();
  });

  it("changing the own password ends the session", async () => {
    const { u, email, browser, token } = await signedIn();
    const actor = await actorOf(t.db, u.id);
    await callerFor(t.db, actor).me.changePassword({ current: TEST_PASSWORD, next: "Harbour-lights-77" });
    expect(await actorFor(browser, token)).toBeNull();
    expect((await browser.signIn(email, TEST_PASSWORD)).ok).toBe(false);
    expect((await browser.signIn(email, "Harbour-lights-77")).ok).toBe(true);
  });

  it("an admin's password reset, role change, unit change and disabling each end the session", async () => {
    const admin = callerFor(t.db, w.actors.admin);
    const changes: Array<[string, (id: string, version: number) => Promise<unknown>]> = [
      ["password reset", (id, version) => admin.users.resetPassword({ id, version, password: "Reset-by-admin-2026" })],
      ["role change", (id, version) => admin.users.update({ id, version, name: "调岗", role: "leader", unitId: w.units.dalian.id, disabled: false })],
      ["unit change", (id, version) => admin.users.update({ id, version, name: "调岗", role: "staff", unitId: w.units.shenyang.id, disabled: false })],
      ["disabled", (id, version) => admin.users.update({ id, version, name: "调岗", role: "staff", unitId: w.units.dalian.id, disabled: true })],
    ];
    for (const [what, change] of changes) {
      const { u, browser, token } = await signedIn();
      expect(await actorFor(browser, token), what).not.toBeNull();
      await change(u.id, u.version);
      expect(await actorFor(browser, token), what).toBeNull();
    }
    // a rename alone leaves the session alone
    const { u, browser, token } = await signedIn();
    await admin.users.update({ id: u.id, version: u.version, name: "改名", role: "staff", unitId: w.units.dalian.id, disabled: false });
    expect(await actorFor(browser, token)).not.toBeNull();
  });

  it("a disabled user cannot sign in again, with the same answer as a wrong password", async () => {
    const { u, email, browser } = await signedIn();
    await callerFor(t.db, w.actors.admin).users.update({ id: u.id, version: u.version, name: u.name, role: "staff", unitId: w.units.dalian.id, disabled: true });
    const again = await browser.signIn(email, TEST_PASSWORD);
    const wrong = await new AuthClient(options(), { "x-forwarded-for": "198.51.100.201" }).signIn(email, "Wrong-pass-2026");
    expect(again.ok).toBe(false);
    expect(again.error).toBe("CredentialsSignin");
    expect(wrong.error).toBe(again.error);
  });

  it("signing in without next-auth's CSRF token is refused", async () => {
    const email = `csrf${++seq}@test.ln.gov.cn`;
    await callerFor(t.db, w.actors.admin).users.create({ email, name: "跨站", role: "staff", unitId: w.units.dalian.id, password: TEST_PASSWORD });
    const browser = new AuthClient(options());
    const r = await browser.signIn(email, TEST_PASSWORD, { csrf: false });
    expect(r.location).toContain("csrf=true");
    expect(browser.sessionToken).toBeUndefined();
  });
});

describe("session lifetimes", () => {
  it("uses the documented defaults: idle 2 h, absolute 12 h", () => {
    expect(SESSION_IDLE_SECONDS).toBe(2 * 3600);
    expect(SESSION_ABSOLUTE_SECONDS).toBe(12 * 3600);
    expect(testAuthOptions(t.db).session?.maxAge).toBe(SESSION_IDLE_SECONDS);
  });

  it("a session idle for longer than the idle lifetime ends", async () => {
    const { browser, token } = await signedIn();
    const now = Date.now();
    expect(await actorFor(browser, token, now + (SESSION_IDLE_SECONDS - 60) * 1000)).not.toBeNull();
    expect(await actorFor(browser, token, now + (SESSION_IDLE_SECONDS + 60) * 1000)).toBeNull();
    // next-auth's own expiry agrees: the token's exp is the idle lifetime after it was issued
    const claims = (await decode({ token, secret: TEST_AUTH_SECRET }))!;
    expect(Number(claims.exp) - Number(claims.iat)).toBe(SESSION_IDLE_SECONDS);
  });

  it("activity slides the idle window: the token is re-issued with the sign-in time kept", async () => {
    const { u, browser, token } = await signedIn();
    const issued = (await decode({ token, secret: TEST_AUTH_SECRET }))!;
    // fresh tokens are left alone
    expect(await refreshSessionToken(token, TEST_AUTH_SECRET)).toBeNull();
    const later = Date.now() + (SESSION_REFRESH_SECONDS + 5) * 1000;
    const fresh = await refreshSessionToken(token, TEST_AUTH_SECRET, later);
    expect(fresh).not.toBeNull();
    const claims = (await decode({ token: fresh!.value, secret: TEST_AUTH_SECRET }))!;
    expect(claims).toMatchObject({ uid: u.id, sv: issued.sv, authAt: issued.authAt });
    expect(await actorFor(browser, fresh!.value)).not.toBeNull();
    expect(Math.abs(fresh!.expires.getTime() - (later + SESSION_IDLE_SECONDS * 1000))).toBeLessThan(2000);
    // a tampered or foreign token is never re-issued
    expect(await refreshSessionToken(token, "another-secret-0123456789abcdef0123456789", later)).toBeNull();
  });

  it("a session ends at its absolute lifetime whatever the activity, and is not re-issued beyond it", async () => {
    const { u, browser } = await signedIn();
    const [row] = await t.db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, u.id));
    const nowSec = Math.floor(Date.now() / 1000);
    const tokenSignedInAt = (authAt: number) =>
      encode({ token: { uid: u.id, sv: row!.sv, authAt, name: u.name, email: u.email }, secret: TEST_AUTH_SECRET, maxAge: SESSION_IDLE_SECONDS });

    // kept active all day (just re-issued), signed in 12 h + 1 min ago: over
    const old = await tokenSignedInAt(nowSec - SESSION_ABSOLUTE_SECONDS - 60);
    expect(await actorFor(browser, old)).toBeNull();
    expect(await refreshSessionToken(old, TEST_AUTH_SECRET, Date.now() + (SESSION_REFRESH_SECONDS + 5) * 1000)).toBeNull();

    // signed in 11 h 50 min ago: still valid, but a re-issued token ends at the absolute limit
    const authAt = nowSec - SESSION_ABSOLUTE_SECONDS + 10 * 60;
    const nearEnd = await tokenSignedInAt(authAt);
    expect(await actorFor(browser, nearEnd)).not.toBeNull();
    const fresh = await refreshSessionToken(nearEnd, TEST_AUTH_SECRET, Date.now() + (SESSION_REFRESH_SECONDS + 5) * 1000);
    expect(fresh).not.toBeNull();
    expect(fresh!.expires.getTime()).toBeLessThanOrEqual((authAt + SESSION_ABSOLUTE_SECONDS) * 1000);
    const claims = (await decode({ token: fresh!.value, secret: TEST_AUTH_SECRET }))!;
    expect(claims.exp!).toBeLessThanOrEqual(authAt + SESSION_ABSOLUTE_SECONDS);
    expect(await actorFor(browser, fresh!.value, (authAt + SESSION_ABSOLUTE_SECONDS + 1) * 1000)).toBeNull();

    // a token without a sign-in time (issued before lifetimes existed) is not accepted
    const legacy = await encode({ token: { uid: u.id, sv: row!.sv }, secret: TEST_AUTH_SECRET, maxAge: SESSION_IDLE_SECONDS });
    expect(await actorFor(browser, legacy)).toBeNull();
  });

  it("next-auth reported no errors along the way but the forged token's", () => {
    expect(nextAuthErrors.map((e) => (e as { code: string }).code)).toEqual(["JWT_SESSION_ERROR"]);
  });
});
