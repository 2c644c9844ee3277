// Brute force against the sign-in: many wrong passwords at one account from several addresses,
// one address spraying many accounts, known vs unknown emails. The limits are the documented ones
// (README "Sign-in limits"): 5 failures per account / 20 per address within 15 min lock for 15 min.
import { and, eq, inArray, max } from "drizzle-orm";
import { verify } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loginAttempts, users } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, seedWorld, TEST_PASSWORD, type TWorld } from "@/db/testing/factories";
import { clientIp } from "@/server/auth/client-ip";
import { verifyPassword } from "@/server/auth/password";
import type { AppError } from "@/server/lib/errors";
import { signInWithPassword, type TSignInResult } from "@/server/auth/authenticate";
import { SIGN_IN_LIMITS, UNKNOWN_ADDRESS } from "@/server/auth/sign-in-limits";
import { callerFor, trpcError } from "../integration/helpers";
import { AuthClient, testAuthOptions } from "./support/next-auth-client";

// argon2's verify, observed: a wrong password at an unknown email must cost one verification of a
// hash with the same parameters as a real one. That is what makes the two take the same time; the
// times themselves are printed, never asserted (they depend on the machine's load).
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...real, verify: vi.fn(real.verify) };
});
const verified = vi.mocked(verify);
const hashParams = (h: unknown) => String(h).split("$").slice(1, 4).join("$"); // argon2id$v=19$m=…,t=…,p=…

let t: TTestDb;
let w: TWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedWorld(t.db);
});
afterAll(() => t?.close());

const summary: Record<string, string> = {};
afterAll(() => {
  if (Object.keys(summary).length === 4)
    console.log(`brute force: ${summary.account}; ${summary.address}; ${summary.unknown}; ${summary.form}`);
});

let seq = 0;
async function newUser(password = TEST_PASSWORD) {
  const email = `target${++seq}@test.ln.gov.cn`;
  await callerFor(t.db, w.actors.admin).users.create({ email, name: `目标${seq}`, role: "staff", unitId: w.units.dalian.id, password });
  return email;
}
const evaluatedFor = async (accountKey: string) =>
  (await t.db.select({ id: loginAttempts.id }).from(loginAttempts).where(and(eq(loginAttempts.accountKey, accountKey), inArray(loginAttempts.outcome, ["failure", "success"])))).length;

describe("brute force", () => {
  it("uses the documented limits", () => {
    expect(SIGN_IN_LIMITS).toEqual({ accountFailures: 5, ipFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 });
  });

  it("many guesses at one account from 10 addresses: 5 are checked, none accepted, the right password refused while locked", async () => {
    const email = await newUser();
    const ATTEMPTS = 300;
    const ADDRESSES = 10;
    const results: Array<{ i: number; correct: boolean; r: TSignInResult }> = [];
    // ten addresses at once, thirty rounds; from attempt 50 on, every 25th tries the right password
    for (let round = 0; round < ATTEMPTS / ADDRESSES; round++) {
      const batch = Array.from({ length: ADDRESSES }, (_, a) => {
        const i = round * ADDRESSES + a;
        const correct = i >= 50 && i % 25 === 0;
        return signInWithPassword(t.db, { email, password: correct ? TEST_PASSWORD : `guess-${i}-2026`, ip: `203.0.113.${a + 1}` }).then((r) => ({ i, correct, r }));
      });
      results.push(...(await Promise.all(batch)));
    }
    const evaluated = results.filter((x) => x.r.status !== "throttled").length;
    const accepted = results.filter((x) => x.r.status === "ok").length;
    const correctTries = results.filter((x) => x.correct);
    expect(evaluated).toBe(SIGN_IN_LIMITS.accountFailures);
    expect(await evaluatedFor(email)).toBe(SIGN_IN_LIMITS.accountFailures); // the database agrees
    expect(accepted).toBe(0);
    expect(correctTries.length).toBe(10);
    expect(correctTries.every((x) => x.r.status === "throttled")).toBe(true);
    // still locked a minute before the lock ends (15 min after the 5th failure), open after it
    const [fifth] = await t.db.select({ at: max(loginAttempts.at) }).from(loginAttempts).where(and(eq(loginAttempts.accountKey, email), eq(loginAttempts.outcome, "failure")));
    const lastFailure = fifth!.at!.getTime();
    expect((await signInWithPassword(t.db, { email, password: TEST_PASSWORD, ip: "192.0.2.1", now: new Date(lastFailure + SIGN_IN_LIMITS.lockMs - 60_000) })).status).toBe("throttled");
    expect((await signInWithPassword(t.db, { email, password: TEST_PASSWORD, ip: "192.0.2.1", now: new Date(lastFailure + SIGN_IN_LIMITS.lockMs + 60_000) })).status).toBe("ok");
    summary.account = `${ATTEMPTS} attempts from ${ADDRESSES} addresses, ${evaluated} evaluated, ${correctTries.filter((x) => x.r.status === "ok").length} accepted while throttled (${correctTries.length} with the right password)`;
  });

  it("one address trying many accounts is stopped after 20 failures, other addresses are not", async () => {
    const emails = await Promise.all(Array.from({ length: 3 }, () => newUser()));
    const ip = "198.18.0.7";
    const statuses: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await signInWithPassword(t.db, { email: i < 3 ? emails[i]! : `nobody${i}@test.ln.gov.cn`, password: `spray-${i}-2026`, ip });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, SIGN_IN_LIMITS.ipFailures).every((s) => s === "invalid")).toBe(true);
    expect(statuses.slice(SIGN_IN_LIMITS.ipFailures).every((s) => s === "throttled")).toBe(true);
    // the right password from that address is refused too; from another address it works (1 failure only)
    expect((await signInWithPassword(t.db, { email: emails[0]!, password: TEST_PASSWORD, ip })).status).toBe("throttled");
    expect((await signInWithPassword(t.db, { email: emails[0]!, password: TEST_PASSWORD, ip: "198.18.0.8" })).status).toBe("ok");
    // signing in with an account of one's own does not reset the address's count
    const own = await newUser();
    expect((await signInWithPassword(t.db, { email: own, password: TEST_PASSWORD, ip })).status).toBe("throttled");
    const evaluated = statuses.filter((s) => s !== "throttled").length;
    summary.address = `1 address, ${statuses.length} attempts on ${statuses.length} accounts, ${evaluated} evaluated`;
  });

  // regression: without TRUST_PROXY a missing or unparsable client address gave null, and then no
  // per-address limit applied at all
  it("attempts without a usable client address share one 'unknown' address bucket", async () => {
    const emails = await Promise.all(Array.from({ length: 2 }, () => newUser()));
    const statuses: string[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.ipFailures + 3; i++) {
      // no header at all, or one that is not an address: clientIp gives null for both
      const ip = clientIp(i % 2 ? {} : { "x-forwarded-for": "not-an-ip" });
      expect(ip).toBeNull();
      statuses.push((await signInWithPassword(t.db, { email: `spray${i}-${seq}@test.ln.gov.cn`, password: `spray-${i}-2026`, ip })).status);
    }
    expect(statuses.slice(0, SIGN_IN_LIMITS.ipFailures).every((s) => s === "invalid")).toBe(true);
    expect(statuses.slice(SIGN_IN_LIMITS.ipFailures).every((s) => s === "throttled")).toBe(true);
    // the right password without an address is refused too; from a real address it works
    expect((await signInWithPassword(t.db, { email: emails[0]!, password: TEST_PASSWORD, ip: null })).status).toBe("throttled");
    expect((await signInWithPassword(t.db, { email: emails[0]!, password: TEST_PASSWORD, ip: "192.0.2.99" })).status).toBe("ok");
    const rows = await t.db.select({ ip: loginAttempts.ip }).from(loginAttempts).where(eq(loginAttempts.accountKey, emails[0]!));
    expect(rows.map((r) => r.ip).sort()).toEqual(["192.0.2.99", UNKNOWN_ADDRESS]);
    // the bucket ends like any other: after the lock
    expect((await signInWithPassword(t.db, { email: emails[1]!, password: TEST_PASSWORD, ip: null, now: new Date(Date.now() + SIGN_IN_LIMITS.lockMs + 60_000) })).status).toBe("ok");
  });

  it("guessing the current password through me.changePassword counts against the account's limit", async () => {
    const email = await newUser();
    const [u] = await t.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const me = callerFor(t.db, await actorOf(t.db, u!.id));
    const answers: string[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.accountFailures + 2; i++)
      answers.push((await trpcError(me.me.changePassword({ current: `guess-${i}-2026`, next: "Brand-new-pass-2026" }))).code);
    expect(answers).toEqual([...Array(SIGN_IN_LIMITS.accountFailures).fill("BAD_REQUEST"), "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    // while locked the right current password is refused too, unchecked, and so is signing in
    const locked = await trpcError(me.me.changePassword({ current: TEST_PASSWORD, next: "Brand-new-pass-2026" }));
    expect([locked.code, (locked.cause as AppError).msg.key]).toEqual(["TOO_MANY_REQUESTS", "errors.password.tooManyAttempts"]);
    expect((await signInWithPassword(t.db, { email, password: TEST_PASSWORD, ip: "192.0.2.98" })).status).toBe("throttled");
    expect(await evaluatedFor(email)).toBe(SIGN_IN_LIMITS.accountFailures);
    const [row] = await t.db.select({ h: users.passwordHash }).from(users).where(eq(users.id, u!.id));
    expect(await verifyPassword(row!.h, TEST_PASSWORD)).toBe(true);
  });

  it("an unknown email gets exactly the answers of a known one, in about the same time", async () => {
    const known = await newUser();
    const unknown = `nobody.at.all${seq}@test.ln.gov.cn`;
    const run = async (email: string, ip: string) => {
      const out: string[] = [];
      for (let i = 0; i < 8; i++) out.push((await signInWithPassword(t.db, { email, password: `wrong-${i}-2026`, ip })).status);
      return out;
    };
    const a = await run(known, "192.0.2.10");
    const b = await run(unknown, "192.0.2.11");
    expect(a).toEqual(b);
    expect(a).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid", "throttled", "throttled", "throttled"]);

    // each checked wrong password, known or unknown: one argon2id verification with the same cost
    // parameters; timed too, interleaved with fresh keys (nothing throttled), for the summary line
    const times: { known: number[]; unknown: number[] } = { known: [], unknown: [] };
    const params: { known: string[]; unknown: string[] } = { known: [], unknown: [] };
    const users = await Promise.all(Array.from({ length: 4 }, () => newUser()));
    for (let i = 0; i < 12; i++) {
      for (const kind of i % 2 ? (["known", "unknown"] as const) : (["unknown", "known"] as const)) {
        const email = kind === "known" ? users[i % 4]! : `ghost${i}-${seq}@test.ln.gov.cn`;
        verified.mockClear();
        const t0 = performance.now();
        const r = await signInWithPassword(t.db, { email, password: `timing-${i}-2026`, ip: `192.0.2.${20 + i}` });
        times[kind].push(performance.now() - t0);
        expect(r.status).toBe("invalid");
        expect(verified, `${kind} email, attempt ${i}`).toHaveBeenCalledTimes(1);
        params[kind].push(hashParams(verified.mock.calls[0]![0]));
      }
    }
    expect(params.known[0]).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    expect(new Set([...params.known, ...params.unknown])).toEqual(new Set([params.known[0]]));
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    summary.unknown = `unknown vs known email: same answers, one argon2id verification each, median ${median(times.unknown).toFixed(0)} ms vs ${median(times.known).toFixed(0)} ms`;
  });

  it("through next-auth the form gets 'TooManyAttempts' while throttled, for known and unknown emails alike", async () => {
    const known = await newUser();
    const unknown = `nobody.form${seq}@test.ln.gov.cn`;
    const errorsFor = async (email: string, address: string) => {
      const browser = new AuthClient(testAuthOptions(t.db), { "x-forwarded-for": address });
      const out: Array<string | null> = [];
      for (let i = 0; i < 6; i++) out.push((await browser.signIn(email, `form-guess-${i}`)).error);
      const right = await browser.signIn(email, TEST_PASSWORD);
      out.push(right.error);
      expect(browser.sessionToken).toBeUndefined();
      return out;
    };
    const a = await errorsFor(known, "192.0.2.40");
    const b = await errorsFor(unknown, "192.0.2.41");
    expect(a).toEqual([...Array(5).fill("CredentialsSignin"), "TooManyAttempts", "TooManyAttempts"]);
    expect(b).toEqual(a);
    // the address came from X-Forwarded-For (the peer address Next records)
    const rows = await t.db.select({ ip: loginAttempts.ip }).from(loginAttempts).where(eq(loginAttempts.accountKey, known));
    expect(new Set(rows.map((r) => r.ip))).toEqual(new Set(["192.0.2.40"]));
    summary.form = `sign-in form: ${a.filter((e) => e === "TooManyAttempts").length} "too many attempts" answers, known and unknown email identical`;
  });
});
