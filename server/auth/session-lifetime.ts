// How long a session lives (README "Sessions"). Pure: read by next-auth's options, by getActor on
// every request, and by proxy.ts, which slides the idle window forward.
//
// - idle: the session token expires SESSION_IDLE_SECONDS (2 h) after it was last issued. proxy.ts
//   re-issues it on a request once it is SESSION_REFRESH_SECONDS old, so a user who keeps working
//   stays signed in and one who walks away is signed out.
// - absolute: SESSION_ABSOLUTE_SECONDS (12 h) after signing in, whatever the activity: the
//   sign-in time is kept in the token (`authAt`) and checked on every request.

const seconds = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 60 ? Math.floor(v) : fallback;
};

export const SESSION_ABSOLUTE_SECONDS = seconds("SESSION_ABSOLUTE_SECONDS", seconds("SESSION_MAX_AGE_SECONDS", 12 * 3600));
export const SESSION_IDLE_SECONDS = Math.min(seconds("SESSION_IDLE_SECONDS", 2 * 3600), SESSION_ABSOLUTE_SECONDS);
/** The token is re-issued at most this often: the idle limit is exact to within this much. */
export const SESSION_REFRESH_SECONDS = Math.max(30, Math.min(5 * 60, Math.floor(SESSION_IDLE_SECONDS / 10)));

export type TSessionClaims = { uid: string; sv: number; authAt: number; iat: number };

/** The claims getActor needs, or null when any is missing (e.g. a token from before `authAt`). */
export function sessionClaims(x: unknown): TSessionClaims | null {
  if (!x || typeof x !== "object") return null;
  const { uid, sv, authAt, iat } = x as Record<string, unknown>;
  if (typeof uid !== "string" || typeof sv !== "number" || typeof authAt !== "number" || typeof iat !== "number") return null;
  return { uid, sv, authAt, iat };
}

/** Within both lifetimes at `nowSec` (seconds since the epoch); a sign-in time in the future is refused. */
export function isSessionLive(c: Pick<TSessionClaims, "authAt" | "iat">, nowSec: number): boolean {
  const skew = 60; // app servers' clocks may differ a little
  if (c.authAt > nowSec + skew || c.iat > nowSec + skew) return false;
  return nowSec - c.authAt <= SESSION_ABSOLUTE_SECONDS && nowSec - c.iat <= SESSION_IDLE_SECONDS;
}

/** Seconds a token issued at `nowSec` may live: the idle window, cut short by the absolute limit. */
export function sessionTokenMaxAge(authAt: number, nowSec: number): number {
  return Math.min(SESSION_IDLE_SECONDS, authAt + SESSION_ABSOLUTE_SECONDS - nowSec);
}
