// The Origin check of every mutation and file route (server/lib/http.ts): scheme and host.
// regression: only the host was compared, so a plain-http page of the same host (which a network
// attacker can inject) could post to the https site.
import { describe, expect, it } from "vitest";
import { isSameOrigin } from "@/server/lib/http";

const req = (headers: Record<string, string>, url = "http://localhost:3000/api/trpc/x") => new Request(url, { method: "POST", headers });

describe("isSameOrigin", () => {
  it("compares the scheme the browser used, from X-Forwarded-Proto (set by the proxy, or by Next from the connection)", () => {
    const behindTls = { host: "zs.gov.cn", "x-forwarded-proto": "https" };
    expect(isSameOrigin(req({ ...behindTls, origin: "https://zs.gov.cn" }))).toBe(true);
    expect(isSameOrigin(req({ ...behindTls, origin: "http://zs.gov.cn" }))).toBe(false);
    expect(isSameOrigin(req({ ...behindTls, referer: "http://zs.gov.cn/projects" }))).toBe(false);
    expect(isSameOrigin(req({ ...behindTls, referer: "https://zs.gov.cn/projects?x=1" }))).toBe(true);
    // served over plain http: an https origin is another origin too
    expect(isSameOrigin(req({ host: "localhost:3000", "x-forwarded-proto": "http", origin: "https://localhost:3000" }))).toBe(false);
    expect(isSameOrigin(req({ host: "localhost:3000", "x-forwarded-proto": "http", origin: "http://localhost:3000" }))).toBe(true);
  });

  it("takes the hop that faced the browser when proxies list several, and the request's own URL without the header", () => {
    expect(isSameOrigin(req({ host: "app:3000", "x-forwarded-host": "zs.gov.cn, app:3000", "x-forwarded-proto": "https, http", origin: "https://zs.gov.cn" }))).toBe(true);
    expect(isSameOrigin(req({ host: "app:3000", "x-forwarded-host": "zs.gov.cn", "x-forwarded-proto": "https", origin: "https://app:3000" }))).toBe(false);
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "http://localhost:3000" }))).toBe(true);
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "https://localhost:3000" }))).toBe(false);
    expect(isSameOrigin(req({ host: "zs.gov.cn", "x-forwarded-proto": "HTTPS", origin: "https://ZS.gov.cn" }))).toBe(true);
  });

  it("still compares hosts exactly and refuses what is not an origin", () => {
    const h = { host: "zs.gov.cn", "x-forwarded-proto": "https" };
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn.evil.cn" }))).toBe(false);
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn:8443" }))).toBe(false);
    expect(isSameOrigin(req({ ...h, origin: "null" }))).toBe(false);
    expect(isSameOrigin(req(h))).toBe(false);
  });
});
