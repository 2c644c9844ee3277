// The sliding idle window. next-auth re-issues a JWT session only when /api/auth/session is
// called, which this app never does after sign-in (no SessionProvider): proxy.ts calls this on
// each request instead and sets the returned cookie. Not an authorization step — getActor checks
// every request against the database and both lifetimes whatever the cookie says.
import { decode, encode } from "next-auth/jwt";
import { isSessionLive, SESSION_REFRESH_SECONDS, sessionClaims, sessionTokenMaxAge } from "./session-lifetime";

/** next-auth's session cookie name: `__Secure-` prefixed when NEXTAUTH_URL is https (as next-auth decides). */
export function sessionCookieName(nextAuthUrl = process.env.NEXTAUTH_URL) {
  return `${nextAuthUrl?.startsWith("https://") ? "__Secure-" : ""}next-auth.session-token`;
}

/**
 * A re-issued session token when `token` is valid, live and older than the refresh interval;
 * null otherwise (keep the cookie as it is: a dead token dies on its own).
 */
export async function refreshSessionToken(token: string, secret: string, now = Date.now()): Promise<{ value: string; expires: Date } | null> {
  let payload: Record<string, unknown> | null;
  try {
    payload = (await decode({ token, secret })) as Record<string, unknown> | null;
  } catch {
    return null; // expired, tampered with, or another secret
  }
  const claims = sessionClaims(payload);
  const nowSec = Math.floor(now / 1000);
  if (!payload || !claims || !isSessionLive(claims, nowSec)) return null;
  if (nowSec - claims.iat < SESSION_REFRESH_SECONDS) return null;
  const maxAge = sessionTokenMaxAge(claims.authAt, nowSec);
  if (maxAge <= 0) return null;
  const { iat: _iat, exp: _exp, jti: _jti, ...rest } = payload;
  const value = await encode({ token: rest, secret, maxAge });
  return { value, expires: new Date((nowSec + maxAge) * 1000) };
}
