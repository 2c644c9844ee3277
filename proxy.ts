// Next 16's proxy (formerly middleware): response headers and the session's sliding idle window,
// nothing else. It is NOT an authorization boundary (it has been bypassed before: STACK.md trap
// 12) — every page, procedure and route handler checks the session against the database itself.
import { NextResponse, type NextRequest } from "next/server";
import { refreshSessionToken, sessionCookieName } from "@/server/auth/session-refresh";
import {
  API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS, HSTS, isHttps, newNonce, pageContentSecurityPolicy,
} from "@/server/lib/security-headers";

export async function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const api = pathname === "/api" || pathname.startsWith("/api/");
  const https = isHttps(req);
  let res: NextResponse;
  if (api) {
    res = NextResponse.next();
    res.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  } else {
    // Next takes the nonce from the request's CSP header and puts it on its scripts
    const csp = pageContentSecurityPolicy(newNonce(), { dev: process.env.NODE_ENV === "development", https });
    const headers = new Headers(req.headers);
    headers.set("content-security-policy", csp);
    res = NextResponse.next({ request: { headers } });
    res.headers.set("Content-Security-Policy", csp);
  }
  for (const [k, v] of Object.entries(COMMON_SECURITY_HEADERS)) res.headers.set(k, v);
  // every page shows a user's data (the sign-in page is no exception: never keep one in a cache)
  res.headers.set("Cache-Control", "no-store");
  if (https) res.headers.set("Strict-Transport-Security", HSTS);

  // next-auth's own routes set and clear the session cookie themselves
  if (!pathname.startsWith("/api/auth/")) await slideSession(req, res, https);
  return res;
}

async function slideSession(req: NextRequest, res: NextResponse, https: boolean) {
  const secret = process.env.NEXTAUTH_SECRET;
  const name = sessionCookieName();
  const token = req.cookies.get(name)?.value;
  if (!secret || !token) return;
  const fresh = await refreshSessionToken(token, secret);
  if (fresh)
    res.cookies.set(name, fresh.value, { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-") || https, expires: fresh.expires });
}

export const config = {
  // everything but the build's static files (next.config.js gives those the common headers)
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
