const first = (v: string | null) => v?.split(",")[0]?.trim().toLowerCase() || null;

/** TRUST_PROXY: how many reverse proxies of ours stand in front (`true` = 1); 0 without it. */
export const trustedProxyHops = (v: string | undefined = process.env.TRUST_PROXY) => (v === "true" ? 1 : Math.max(0, Math.trunc(Number(v ?? 0)) || 0));
const trustsProxy = (v: string | undefined) => trustedProxyHops(v) >= 1;

/** `scheme://host[:port]` normalised (lower case, no default port), or null. */
function originOf(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o === "null" ? null : o;
  } catch {
    return null;
  }
}

/** Why NEXTAUTH_URL cannot serve as this server's origin, or null when it can (or is unset). */
export function nextAuthUrlProblem(value = process.env.NEXTAUTH_URL): string | null {
  if (!value) return null;
  const o = originOf(value);
  return o && /^https?:/.test(o) ? null : `NEXTAUTH_URL "${value}" is not an http(s) URL such as https://zs.example.gov.cn: every write would be refused`;
}

/**
 * The origin this server's pages are loaded from, which every write must come from.
 *
 * With NEXTAUTH_URL (production; `npm start` defaults it to http://localhost:$PORT) it is that
 * URL's origin — the address users are sent to, next-auth's links included — whatever the request
 * says about itself: a proxy that terminates TLS need not send X-Forwarded-Proto (nginx does not by
 * default, and Next then fills in `http`).
 *
 * Without it, the request's own: the Host header, and the scheme Next's server saw (TLS, or an
 * X-Forwarded-Proto of https). Behind reverse proxies (TRUST_PROXY) the first X-Forwarded-Host /
 * X-Forwarded-Proto entry instead — the hop that faced the browser; without TRUST_PROXY these are
 * ignored. A cross-site page cannot add such headers (they need a CORS preflight this app never
 * grants), so they can only misdescribe a request its sender makes itself.
 */
export function expectedOrigin(req: Request, env: { NEXTAUTH_URL?: string; TRUST_PROXY?: string } = process.env): string | null {
  if (env.NEXTAUTH_URL) return originOf(env.NEXTAUTH_URL);
  const proxied = trustsProxy(env.TRUST_PROXY);
  const host = (proxied && first(req.headers.get("x-forwarded-host"))) || first(req.headers.get("host"));
  let scheme = proxied ? first(req.headers.get("x-forwarded-proto")) : null;
  scheme ??= originOf(req.url)?.split(":")[0] ?? null;
  return host && scheme && /^https?$/.test(scheme) ? originOf(`${scheme}://${host}`) : null;
}

/**
 * The request's Origin (or Referer) is this server's origin, scheme and host alike: refuses
 * cross-site writes — also from a plain-http page of the same host (one a network attacker can
 * inject) to the https site.
 */
export function isSameOrigin(req: Request, env?: { NEXTAUTH_URL?: string; TRUST_PROXY?: string }) {
  const self = expectedOrigin(req, env);
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  return !!self && !!origin && originOf(origin) === self;
}
