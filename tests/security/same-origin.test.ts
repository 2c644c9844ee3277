// The Origin check of every mutation and file route (server/lib/http.ts): scheme and host.
// regressions: only the host was compared, so a plain-http page of the same host (which a network
// attacker can inject) could post to the https site; then X-Forwarded-* were read without
// TRUST_PROXY, and behind a proxy terminating TLS without sending X-Forwarded-Proto (nginx's
// default: Next fills in `http`) every write from the https site was refused, NEXTAUTH_URL or not.
import { describe, expect, it } from "vitest";
import { expectedOrigin, isSameOrigin, nextAuthUrlProblem, trustedProxyHops } from "@/server/lib/http";

const req = (headers: Record<string, string>, url = "http://localhost:3000/api/trpc/x") => new Request(url, { method: "POST", headers });
const NONE = {};
const PROXIED = { TRUST_PROXY: "1" };

describe("with NEXTAUTH_URL: the origin users are sent to", () => {
  const env = { NEXTAUTH_URL: "https://zs.gov.cn" };
  // what the app sees behind nginx with only `proxy_pass` (and `proxy_set_header Host $host`): plain
  // http from the proxy, and the X-Forwarded-Proto Next's server fills in from that connection
  const behindTls = { host: "zs.gov.cn", "x-forwarded-proto": "http" };

  it("accepts the https site behind a TLS-terminating proxy that sends no X-Forwarded-Proto", () => {
    expect(isSameOrigin(req({ ...behindTls, origin: "https://zs.gov.cn" }), env)).toBe(true);
    expect(isSameOrigin(req({ ...behindTls, referer: "https://zs.gov.cn/projects?x=1" }), env)).toBe(true);
    // the proxy's own Host, or none forwarded at all: the same
    expect(isSameOrigin(req({ host: "app:3000", origin: "https://zs.gov.cn" }, "http://app:3000/api/trpc/x"), env)).toBe(true);
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "https://ZS.gov.cn:443" }), env)).toBe(true);
    expect(expectedOrigin(req(behindTls), { NEXTAUTH_URL: "https://zs.gov.cn/zs/" })).toBe("https://zs.gov.cn");
  });

  it("refuses a foreign origin, and plain http when NEXTAUTH_URL says https", () => {
    expect(isSameOrigin(req({ ...behindTls, origin: "https://evil.example" }), env)).toBe(false);
    expect(isSameOrigin(req({ ...behindTls, origin: "http://zs.gov.cn" }), env)).toBe(false);
    expect(isSameOrigin(req({ ...behindTls, referer: "http://zs.gov.cn/projects" }), env)).toBe(false);
    expect(isSameOrigin(req({ ...behindTls, origin: "https://zs.gov.cn:8443" }), env)).toBe(false);
    // whatever the request claims about itself
    const claims = { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    expect(isSameOrigin(req({ ...claims, origin: "https://evil.example" }), { ...env, ...PROXIED })).toBe(false);
    // served over plain http: an https page is another origin
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "https://localhost:3000" }), { NEXTAUTH_URL: "http://localhost:3000" })).toBe(false);
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "http://localhost:3000" }), { NEXTAUTH_URL: "http://localhost:3000" })).toBe(true);
    // an unusable NEXTAUTH_URL refuses everything rather than trusting the request
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "http://localhost:3000" }), { NEXTAUTH_URL: "not a url" })).toBe(false);
  });
});

describe("without NEXTAUTH_URL: the request's own origin", () => {
  it("the Host header and the scheme Next's server saw; X-Forwarded-* ignored without TRUST_PROXY", () => {
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "http://localhost:3000" }), NONE)).toBe(true);
    expect(isSameOrigin(req({ host: "localhost:3000", origin: "https://localhost:3000" }), NONE)).toBe(false);
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "https://zs.gov.cn" }, "https://zs.gov.cn/api/trpc/x"), NONE)).toBe(true);
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "http://zs.gov.cn" }, "https://zs.gov.cn/api/trpc/x"), NONE)).toBe(false);
    expect(isSameOrigin(req({ host: "localhost:3000", "x-forwarded-host": "evil.example", origin: "http://evil.example" }), NONE)).toBe(false);
    expect(isSameOrigin(req({ host: "app:3000", "x-forwarded-host": "zs.gov.cn", "x-forwarded-proto": "https", origin: "https://zs.gov.cn" }), NONE)).toBe(false);
  });

  it("behind reverse proxies (TRUST_PROXY): the first X-Forwarded-Host / -Proto entry, the hop that faced the browser", () => {
    const h = { host: "app:3000", "x-forwarded-host": "zs.gov.cn, app:3000", "x-forwarded-proto": "https, http" };
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn" }), PROXIED)).toBe(true);
    expect(isSameOrigin(req({ ...h, origin: "http://zs.gov.cn" }), PROXIED)).toBe(false);
    expect(isSameOrigin(req({ ...h, origin: "https://app:3000" }), PROXIED)).toBe(false);
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn" }), { TRUST_PROXY: "true" })).toBe(true);
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn" }), { TRUST_PROXY: "0" })).toBe(false);
    expect(isSameOrigin(req({ host: "zs.gov.cn", "x-forwarded-proto": "HTTPS", origin: "https://ZS.gov.cn" }), PROXIED)).toBe(true);
    // a proxy that forwards no X-Forwarded-*: the Host header and the request's own scheme
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "http://zs.gov.cn" }, "http://zs.gov.cn/x"), PROXIED)).toBe(true);
    expect(isSameOrigin(req({ host: "zs.gov.cn", "x-forwarded-proto": "gopher", origin: "gopher://zs.gov.cn" }), PROXIED)).toBe(false);
  });

  it("still compares hosts exactly and refuses what is not an origin", () => {
    const h = { host: "zs.gov.cn" };
    const url = "https://zs.gov.cn/api/trpc/x";
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn.evil.cn" }, url), NONE)).toBe(false);
    expect(isSameOrigin(req({ ...h, origin: "https://zs.gov.cn:8443" }, url), NONE)).toBe(false);
    expect(isSameOrigin(req({ ...h, origin: "null" }, url), NONE)).toBe(false);
    expect(isSameOrigin(req(h, url), NONE)).toBe(false);
    expect(isSameOrigin(req({ origin: "https://zs.gov.cn" }, url), NONE)).toBe(false); // no Host
  });
});

describe("NEXTAUTH_URL is checked at start-up", () => {
  it("an http(s) URL passes; a bare host or another scheme stops the start with the reason", () => {
    expect(nextAuthUrlProblem(undefined)).toBeNull();
    expect(nextAuthUrlProblem("https://zs.example.gov.cn")).toBeNull();
    expect(nextAuthUrlProblem("http://localhost:3000")).toBeNull();
    expect(nextAuthUrlProblem("zs.example.gov.cn")).toMatch(/not an http\(s\) URL/);
    expect(nextAuthUrlProblem("ftp://zs.example.gov.cn")).toMatch(/every write would be refused/);
  });
  it("TRUST_PROXY is read the same way for the client address and the origin", () => {
    expect([undefined, "", "0", "true", "1", "2", "x", "-3"].map((v) => trustedProxyHops(v))).toEqual([0, 0, 0, 1, 1, 2, 0, 0]);
  });
});
