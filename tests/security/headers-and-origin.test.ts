// Security headers (proxy.ts, next.config.js) and the Origin check on every state-changing route.
// The route handlers are the real files; only Next's request scope (connection()), the session
// lookup and the database handle are replaced — a refused request must be refused before any of
// them matters.
import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SESSION_REFRESH_SECONDS } from "@/server/auth/session-lifetime";
import { isSameOrigin } from "@/server/lib/http";

const getActor = vi.hoisted(() => vi.fn(async () => null));
vi.mock("next/server", async (original) => ({ ...(await original<typeof import("next/server")>()), connection: async () => {} }));
vi.mock("@/server/auth/session", () => ({ getActor, getRequestLocale: async () => "zh-CN", LOCALE_COOKIE: "NEXT_LOCALE" }));
// never the app's embedded database: an unauthenticated call does not reach it
vi.mock("@/db", () => ({ getDb: async () => ({}) }));

const SECRET = "proxy-test-secret-0123456789abcdef0123456789";
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { ...process.env };
  process.env.NEXTAUTH_SECRET = SECRET;
  delete process.env.NEXTAUTH_URL;
  delete process.env.TRUST_PROXY;
  getActor.mockClear();
});
afterEach(() => {
  process.env = env;
  vi.useRealTimers();
});

const proxyFor = async (url: string, headers: Record<string, string> = {}) => {
  const { proxy } = await import("@/proxy");
  return proxy(new NextRequest(url, { headers }));
};
const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe("security headers", () => {
  it("pages get a nonce-based CSP that Next can read, and every other protective header", async () => {
    const res = await proxyFor("http://localhost:3000/projects?stage=signed");
    const csp = res.headers.get("content-security-policy")!;
    const d = directives(csp);
    const nonce = d["script-src"]!.find((s) => s.startsWith("'nonce-"))!;
    expect(nonce).toMatch(/^'nonce-[A-Za-z0-9+/]{24}'$/);
    expect(d["script-src"]).toEqual(["'self'", nonce, "'strict-dynamic'"]);
    expect(d["script-src"]).not.toContain("'unsafe-inline'");
    expect(d["script-src"]).not.toContain("'unsafe-eval'");
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    expect(d["upgrade-insecure-requests"]).toBeUndefined(); // plain http: would break same-origin loads
    // Next renders with the request's CSP header: the same policy, so its scripts carry the nonce
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(res.headers.get("x-middleware-override-headers")).toContain("content-security-policy");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    // a fresh nonce for every response
    const again = directives((await proxyFor("http://localhost:3000/projects")).headers.get("content-security-policy")!);
    expect(again["script-src"]![1]).not.toBe(nonce);
  });

  it("the proxy never answers for the app: no redirect, no refusal, whatever the session", async () => {
    for (const url of ["http://localhost:3000/dashboard", "http://localhost:3000/admin/users", "http://localhost:3000/api/trpc/projects.list"]) {
      const res = await proxyFor(url, { cookie: "next-auth.session-token=forged" });
      expect(res.status).toBe(200);
      expect(res.headers.get("location")).toBeNull();
      expect(res.headers.get("x-middleware-next")).toBe("1");
    }
  });

  it("over HTTPS: HSTS and upgrade-insecure-requests", async () => {
    const viaProxy = await proxyFor("http://localhost:3000/dashboard", { "x-forwarded-proto": "https" });
    expect(viaProxy.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(directives(viaProxy.headers.get("content-security-policy")!)["upgrade-insecure-requests"]).toEqual([]);
    process.env.NEXTAUTH_URL = "https://zs.example.gov.cn";
    expect((await proxyFor("http://localhost:3000/api/trpc/x")).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });

  it("route handlers get a CSP under which nothing runs or frames them, and no-store", async () => {
    for (const url of ["http://localhost:3000/api/trpc/projects.list", "http://localhost:3000/api/export/projects?format=csv", "http://localhost:3000/api/evidence/x"]) {
      const res = await proxyFor(url);
      const d = directives(res.headers.get("content-security-policy")!);
      expect(d["default-src"]).toEqual(["'none'"]);
      expect(d["script-src"]).toBeUndefined();
      expect(d["frame-ancestors"]).toEqual(["'none'"]);
      expect(d.sandbox).toEqual([]);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("static files get the common headers from next.config.js", async () => {
    const config = (await import(path.join(process.cwd(), "next.config.js"))).default as { headers: () => Promise<Array<{ source: string; has?: unknown[]; headers: Array<{ key: string; value: string }> }>> };
    const rules = await config.headers();
    const all = Object.fromEntries(rules.find((r) => r.source === "/:path*" && !r.has)!.headers.map((h) => [h.key, h.value]));
    expect(all).toMatchObject({ "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin" });
    const https = rules.find((r) => r.has)!;
    expect(https.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    expect(https.headers).toEqual([{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]);
  });

  it("slides the session: a token older than the refresh interval is re-issued on a request, never on next-auth's own routes", async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const token = await encode({ token: { uid: "00000000-0000-4000-8000-000000000001", sv: 1, authAt: nowSec }, secret: SECRET, maxAge: 7200 });
    const cookie = `next-auth.session-token=${token}`;
    // fresh: left alone
    expect((await proxyFor("http://localhost:3000/dashboard", { cookie })).cookies.get("next-auth.session-token")).toBeUndefined();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + (SESSION_REFRESH_SECONDS + 10) * 1000);
    for (const url of ["http://localhost:3000/dashboard", "http://localhost:3000/api/trpc/projects.list"]) {
      const set = (await proxyFor(url, { cookie })).cookies.get("next-auth.session-token");
      expect(set?.value, url).toBeTruthy();
      expect(set!.value).not.toBe(token);
      expect(set).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    }
    expect((await proxyFor("http://localhost:3000/api/auth/signout", { cookie })).cookies.get("next-auth.session-token")).toBeUndefined();
  });
});

describe("Origin on every state-changing route", () => {
  // every route file and the methods it answers; a new route must be added here
  const ROUTES: Record<string, { methods: string[]; url: string; body?: () => BodyInit; headers?: Record<string, string> }> = {
    "app/api/trpc/[trpc]/route.ts": {
      methods: ["GET", "POST"], url: "http://localhost:3000/api/trpc/me.setLocale", body: () => JSON.stringify({ json: { locale: "en" } }), headers: { "content-type": "application/json" },
    },
    "app/api/import/route.ts": { methods: ["POST"], url: "http://localhost:3000/api/import", body: () => new FormData() },
    "app/api/tranches/[trancheId]/evidence/route.ts": { methods: ["POST"], url: "http://localhost:3000/api/tranches/00000000-0000-4000-8000-000000000001/evidence", body: () => new FormData() },
    "app/api/export/projects/route.ts": { methods: ["GET"], url: "http://localhost:3000/api/export/projects" },
    "app/api/export/review-pack/route.ts": { methods: ["GET"], url: "http://localhost:3000/api/export/review-pack" },
    "app/api/evidence/[fileId]/route.ts": { methods: ["GET"], url: "http://localhost:3000/api/evidence/x" },
    // next-auth's routes are protected by its own CSRF token (tests/security/sessions.test.ts)
    "app/api/auth/[...nextauth]/route.ts": { methods: ["GET", "POST"], url: "" },
  };
  const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
  const routeFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));

  it("knows every route file and the methods each exports; exports are GET-only", async () => {
    const files = routeFiles("app/api").map((f) => f.split(path.sep).join("/")).sort();
    expect(files).toEqual(Object.keys(ROUTES).sort());
    for (const f of files) {
      const mod = (await import(path.join(process.cwd(), f))) as Record<string, unknown>;
      expect(METHODS.filter((m) => typeof mod[m] === "function"), f).toEqual(ROUTES[f]!.methods);
    }
  });

  const ctx = { params: Promise.resolve({ trancheId: "00000000-0000-4000-8000-000000000001", trpc: "me.setLocale", fileId: "x" }) };
  const mutating = Object.entries(ROUTES).filter(([f, r]) => r.methods.some((m) => m !== "GET") && !f.includes("[...nextauth]"));

  type TCase = [string, Record<string, string>, number | "passes", { NEXTAUTH_URL?: string; TRUST_PROXY?: string }?];
  // behind a proxy terminating TLS that sends no X-Forwarded-Proto (nginx's default): Next's server
  // fills in `http` from the proxy's connection; NEXTAUTH_URL says where users really are
  const behindTls = { NEXTAUTH_URL: "https://zs.example.gov.cn" };
  const viaProxy = { host: "zs.example.gov.cn", "x-forwarded-proto": "http" };
  const CASES: TCase[] = [
    ["cross-site", { host: "localhost:3000", origin: "https://evil.example" }, 403],
    ["cross-site referer", { host: "localhost:3000", referer: "https://evil.example/page" }, 403],
    ["look-alike host", { host: "localhost:3000", origin: "http://localhost:3000.evil.example" }, 403],
    ["no origin", { host: "localhost:3000" }, 403],
    ["same origin", { host: "localhost:3000", origin: "http://localhost:3000" }, "passes"],
    ["forwarded host without TRUST_PROXY", { host: "localhost:3000", "x-forwarded-host": "evil.example", origin: "http://evil.example" }, 403],
    ["https site behind a TLS proxy (NEXTAUTH_URL)", { ...viaProxy, origin: "https://zs.example.gov.cn" }, "passes", behindTls],
    ["plain http page, NEXTAUTH_URL https", { ...viaProxy, origin: "http://zs.example.gov.cn" }, 403, behindTls],
    ["another site, NEXTAUTH_URL https", { ...viaProxy, origin: "https://evil.example" }, 403, behindTls],
    ["the request's own origin, NEXTAUTH_URL another", { host: "localhost:3000", origin: "http://localhost:3000" }, 403, behindTls],
  ];

  it.each(mutating)("%s refuses a write from another site, or with no Origin, before looking at the session", async (file, r) => {
    const mod = (await import(path.join(process.cwd(), file))) as Record<string, (req: Request, c: unknown) => Promise<Response>>;
    for (const [label, headers, expected, env = {}] of CASES) {
      delete process.env.NEXTAUTH_URL;
      Object.assign(process.env, env);
      getActor.mockClear();
      const res = await mod.POST!(new Request(r.url, { method: "POST", headers: { ...r.headers, ...headers }, body: r.body!() }), ctx);
      if (expected === "passes") {
        // past the Origin check: the request is judged on its session (none here)
        expect(res.status, `${label}: ${await res.text()}`).toBe(401);
      } else {
        expect(res.status, label).toBe(expected);
        expect(getActor, label).not.toHaveBeenCalled();
      }
    }
  });

  it("isSameOrigin compares hosts exactly (and reads NEXTAUTH_URL and TRUST_PROXY from the environment)", () => {
    const req = (h: Record<string, string>) => new Request("https://zs.gov.cn/x", { method: "POST", headers: h });
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "https://zs.gov.cn" }))).toBe(true); // scheme too: tests/security/same-origin.test.ts
    expect(isSameOrigin(req({ host: "app:3000", "x-forwarded-host": "zs.gov.cn", origin: "https://zs.gov.cn" }))).toBe(false);
    process.env.TRUST_PROXY = "1";
    expect(isSameOrigin(req({ host: "app:3000", "x-forwarded-host": "zs.gov.cn", origin: "https://zs.gov.cn" }))).toBe(true);
    process.env.NEXTAUTH_URL = "https://zs.example.gov.cn";
    expect(isSameOrigin(req({ host: "app:3000", "x-forwarded-host": "zs.gov.cn", origin: "https://zs.gov.cn" }))).toBe(false);
    expect(isSameOrigin(req({ host: "app:3000", origin: "https://zs.example.gov.cn" }))).toBe(true);
    delete process.env.NEXTAUTH_URL;
    delete process.env.TRUST_PROXY;
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "https://zs.gov.cn.evil.cn" }))).toBe(false);
    expect(isSameOrigin(req({ host: "zs.gov.cn", origin: "null" }))).toBe(false);
    expect(isSameOrigin(req({ host: "zs.gov.cn" }))).toBe(false);
  });
});
