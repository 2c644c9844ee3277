import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { units, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/write-audit";
import { isLocale } from "@/server/lib/i18n";
import type { TActor } from "./actor";
import { dummyHash, verifyPassword } from "./password";
import { isSessionLive, sessionClaims } from "./session-lifetime";
import { reserveAttempt, settleAttempt, type TSignInLimits } from "./sign-in-limits";

export type TSignInUser = { id: string; email: string; name: string; sessionVersion: number };
export type TSignInResult = { status: "ok"; user: TSignInUser } | { status: "invalid" } | { status: "throttled" };

/**
 * Email + password (+ the client's address) → the user, "invalid" or "throttled". Every failure
 * (unknown email, wrong password, disabled account) looks the same and takes about as long: an
 * unknown email is verified against a dummy hash and counts against the limits exactly like a
 * known one. While a limit holds (server/auth/sign-in-limits.ts) the password is not even checked,
 * so the right one is refused too.
 */
export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; ip?: string | null; now?: Date; limits?: TSignInLimits },
): Promise<TSignInResult> {
  const accountKey = input.email.trim().toLowerCase().slice(0, 320);
  const { password } = input;
  if (!accountKey || !password || password.length > 200) return { status: "invalid" };
  const reservation = await reserveAttempt(db, { accountKey, ip: input.ip ?? null, now: input.now, limits: input.limits });
  if (reservation.throttled) return { status: "throttled" };
  const [user] = await db.select().from(users).where(eq(users.email, accountKey));
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  const accepted = !!user && ok && !user.disabledAt;
  await settleAttempt(db, reservation.attemptId, accepted ? "success" : "failure");
  if (!user || !accepted) return { status: "invalid" };
  // a session starts: who and when is audited (failures stay in login_attempts, pruned after a day)
  await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
    await writeAudit(tx, { actorId: user.id, action: "user.sign_in", entityType: "user", entityId: user.id, unitId: user.unitId, after: { sessionVersion: user.sessionVersion } });
  });
  return { status: "ok", user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}

/** The user for an email and password, or null (throttled included). */
export async function authenticate(db: Db, email: string, password: string, opts: { ip?: string | null; now?: Date } = {}) {
  const r = await signInWithPassword(db, { email, password, ...opts });
  return r.status === "ok" ? r.user : null;
}

/** The actor for a session token: null when the user is gone, disabled, or the session was ended. */
export async function loadActor(db: Db, userId: string, sessionVersion: number): Promise<TActor | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const [row] = await db
    .select({ user: users, unit: { code: units.code, name: units.name, path: units.path } })
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(eq(users.id, userId));
  if (!row || row.user.disabledAt || row.user.sessionVersion !== sessionVersion) return null;
  return {
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.user.role,
    unitId: row.user.unitId,
    unitCode: row.unit.code,
    unitName: row.unit.name,
    unitPath: row.unit.path,
    locale: isLocale(row.user.locale) ? row.user.locale : "zh-CN",
  };
}

/**
 * The actor for a session as next-auth decoded it (server/auth/session.ts): null when the claims
 * are missing, the session is past its idle or absolute lifetime, or loadActor refuses it.
 */
export async function actorForSession(db: Db, session: unknown, now = Date.now()): Promise<TActor | null> {
  const claims = sessionClaims(session);
  if (!claims || !isSessionLive(claims, Math.floor(now / 1000))) return null;
  return loadActor(db, claims.uid, claims.sv);
}

/** Sign-out ends every session of the user (a copied token stops working too); audited. */
export async function endSessions(db: Db, userId: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId))
      .returning({ unitId: users.unitId, sessionVersion: users.sessionVersion });
    if (row)
      await writeAudit(tx, {
        actorId: userId, action: "user.sign_out", entityType: "user", entityId: userId, unitId: row.unitId,
        before: { sessionVersion: row.sessionVersion - 1 }, after: { sessionVersion: row.sessionVersion },
      });
  });
}
