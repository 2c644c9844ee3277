const first = (v: string | null) => v?.split(",")[0]?.trim().toLowerCase() || null;

/**
 * This server's origin as the browser addressed it: scheme and host. Behind reverse proxies
 * (TRUST_PROXY) they come from X-Forwarded-Proto / X-Forwarded-Host, which the proxy sets (the
 * first entry: the hop that faced the browser). Served directly, Next's own server fills those two
 * headers from the connection (TLS or not, the Host header) when the request brought none — a
 * request that sends its own can only misdescribe itself, and a cross-site page cannot add such
 * headers (they would need a CORS preflight this app never grants).
 */
export function requestOrigin(req: Request): { scheme: string; host: string } | null {
  const host = first(req.headers.get("x-forwarded-host")) ?? first(req.headers.get("host"));
  let scheme = first(req.headers.get("x-forwarded-proto"));
  if (!scheme) {
    try {
      scheme = new URL(req.url).protocol.replace(/:$/, "");
    } catch {
      scheme = null;
    }
  }
  return host && scheme ? { scheme, host } : null;
}

/**
 * The request's Origin (or Referer) is this server's own origin, scheme and host alike: refuses
 * cross-site writes — also from a plain-http page of the same host (one a network attacker can
 * inject) to the https site.
 */
export function isSameOrigin(req: Request) {
  const self = requestOrigin(req);
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  if (!self || !origin) return false;
  try {
    const u = new URL(origin);
    return u.protocol === `${self.scheme}:` && u.host === self.host;
  } catch {
    return false;
  }
}
