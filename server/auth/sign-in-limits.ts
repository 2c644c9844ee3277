// Failed sign-ins are limited per account and per client address, in the database so that every
// app server behind a load balancer enforces the same limits. An attempt is reserved (as
// `pending`, which counts as a failure) under an advisory lock before the password is checked,
// then settled: concurrent guesses cannot slip past the limit however many arrive at once.
import { and, desc, eq, gt, inArray, lt, max, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { loginAttempts } from "@/db/schema";

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

export type TSignInLimits = { accountFailures: number; ipFailures: number; windowMs: number; lockMs: number };

/** The documented limits (README): 5 failures per account or 20 per address within 15 min lock it for 15 min. */
export const SIGN_IN_LIMITS: TSignInLimits = {
  accountFailures: envInt("SIGNIN_MAX_FAILURES_PER_ACCOUNT", 5),
  ipFailures: envInt("SIGNIN_MAX_FAILURES_PER_IP", 20),
  windowMs: envInt("SIGNIN_WINDOW_SECONDS", 15 * 60) * 1000,
  lockMs: envInt("SIGNIN_LOCK_SECONDS", 15 * 60) * 1000,
};

/**
 * Until when a key is locked (ms), or null: whenever `limit` failures fall within `windowMs` of
 * each other, the key stays locked for `lockMs` after the last of them. `failures` ascending.
 */
export function lockedUntil(failures: readonly Date[], limit: number, windowMs: number, lockMs: number): number | null {
  let until: number | null = null;
  for (let i = limit - 1; i < failures.length; i++) {
    const last = failures[i]!.getTime();
    if (last - failures[i - limit + 1]!.getTime() <= windowMs) until = Math.max(until ?? 0, last + lockMs);
  }
  return until;
}

// advisory lock classes: accounts and addresses never share a lock id, and each attempt takes at
// most one of each, always in this order (no deadlock)
const ACCOUNT_LOCK = 7101;
const IP_LOCK = 7102;
// enough rows to find every lock still in force (evaluated failures per key are bounded by the limits)
const MAX_ROWS = 500;

const COUNTED = ["pending", "failure"] as const;

export type TReservation = { throttled: true } | { throttled: false; attemptId: number };

/**
 * The address bucket of attempts whose client address is missing or not an address (no
 * X-Forwarded-For, or a garbled one): they share one bucket and its limit, rather than escaping
 * the per-address limit altogether.
 */
export const UNKNOWN_ADDRESS = "unknown";

/**
 * Record an attempt: refused unchecked (`throttled`) while a limit holds, else reserved as pending.
 * `ip: null` counts in the UNKNOWN_ADDRESS bucket; `perAddress: false` (a signed-in user
 * confirming their current password, where no address applies) limits the account only.
 */
export async function reserveAttempt(
  db: Db,
  {
    accountKey,
    ip: rawIp,
    perAddress = true,
    now: at,
    limits = SIGN_IN_LIMITS,
  }: { accountKey: string; ip: string | null; perAddress?: boolean; now?: Date; limits?: TSignInLimits },
): Promise<TReservation> {
  const ip = perAddress ? (rawIp ?? UNKNOWN_ADDRESS) : null;
  await prune(db, at ?? new Date());
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(ACCOUNT_LOCK))}, hashtext(${accountKey}))`);
    if (ip) await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(IP_LOCK))}, hashtext(${ip}))`);
    // the time is taken once the locks are held, so attempts on one key are stamped in the order
    // they are decided
    const now = at ?? new Date();
    const since = new Date(now.getTime() - limits.windowMs - limits.lockMs);

    // a successful sign-in clears the account's earlier failures (never the address's: an attacker
    // with one account of their own must not reset the per-address count by signing in with it).
    // "Earlier" by id: ids are taken under the lock, in decision order.
    const [ok] = await tx
      .select({ id: max(loginAttempts.id) })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.accountKey, accountKey), eq(loginAttempts.outcome, "success"), gt(loginAttempts.at, since)));
    const failuresOf = (where: SQL | undefined) =>
      tx
        .select({ at: loginAttempts.at })
        .from(loginAttempts)
        .where(and(where, inArray(loginAttempts.outcome, COUNTED), gt(loginAttempts.at, since)))
        .orderBy(desc(loginAttempts.id))
        .limit(MAX_ROWS)
        .then((rows) => rows.map((r) => r.at).sort((a, b) => a.getTime() - b.getTime()));

    const t = now.getTime();
    const accountRows = and(eq(loginAttempts.accountKey, accountKey), ok?.id != null ? gt(loginAttempts.id, ok.id) : undefined);
    const locks = [lockedUntil(await failuresOf(accountRows), limits.accountFailures, limits.windowMs, limits.lockMs)];
    if (ip) locks.push(lockedUntil(await failuresOf(eq(loginAttempts.ip, ip)), limits.ipFailures, limits.windowMs, limits.lockMs));
    // `limit` failures lock the key: the attempt that would be the (limit+1)-th is never checked
    const throttled = locks.some((until) => until !== null && until > t);
    const [row] = await tx
      .insert(loginAttempts)
      .values({ accountKey, ip, at: now, outcome: throttled ? "throttled" : "pending" })
      .returning({ id: loginAttempts.id });
    return throttled ? { throttled: true as const } : { throttled: false as const, attemptId: row!.id };
  });
}

/** The checked attempt's outcome. */
export async function settleAttempt(db: Db, attemptId: number, outcome: "success" | "failure") {
  await db.update(loginAttempts).set({ outcome }).where(eq(loginAttempts.id, attemptId));
}

// Attempts older than a day can no longer hold a lock: delete them now and then (once per
// process every 10 minutes), so an attack does not grow the table without bound.
const PRUNE_EVERY_MS = 10 * 60 * 1000;
let lastPrune = 0;
async function prune(db: Db, now: Date) {
  if (Math.abs(now.getTime() - lastPrune) < PRUNE_EVERY_MS) return;
  lastPrune = now.getTime();
  await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(now.getTime() - 24 * 3600 * 1000)));
}
