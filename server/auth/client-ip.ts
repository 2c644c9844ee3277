import { isIP } from "node:net";
import { trustedProxyHops } from "@/server/lib/http";

type THeaders = Headers | Record<string, string | string[] | undefined>;

const header = (h: THeaders, name: string) => {
  const v = h instanceof Headers ? h.get(name) : h[name];
  return Array.isArray(v) ? v.join(",") : (v ?? null);
};

/** One address as written in X-Forwarded-For, without port or brackets; null when it is not an IP. */
export function normalizeIp(raw: string | null | undefined): string | null {
  let v = (raw ?? "").trim();
  if (!v) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v); // [::1]:443
  if (bracketed) v = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":")); // 1.2.3.4:5678
  if (v.toLowerCase().startsWith("::ffff:") && isIP(v.slice(7)) === 4) v = v.slice(7); // IPv4-mapped
  return isIP(v) ? v.toLowerCase() : null;
}

/**
 * The client's address, for the per-IP sign-in limit.
 *
 * Next's own server writes the TCP peer's address into X-Forwarded-For when a request arrives
 * without one (route handlers see no socket), and keeps the header as it is otherwise. Every
 * proxy in front appends the address it received the connection from. So with TRUST_PROXY=N
 * (N reverse proxies of ours in front, usually 1) the client is the N-th entry from the right —
 * entries further left were written by the client and are never trusted. Without TRUST_PROXY the
 * server is taken to face clients directly: the last entry is the peer address Next recorded
 * (a client that sends its own header then picks its per-IP bucket; the per-account limit holds
 * regardless — put the app behind a proxy and set TRUST_PROXY for a firm per-IP limit).
 */
export function clientIp(headers: THeaders, trustProxy = process.env.TRUST_PROXY): string | null {
  const hops = trustedProxyHops(trustProxy);
  const list = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) return null;
  return normalizeIp(list[Math.max(0, list.length - Math.max(1, hops))]);
}
