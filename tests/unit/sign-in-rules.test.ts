import { describe, expect, it } from "vitest";
import { clientIp, normalizeIp } from "@/server/auth/client-ip";
import { COMMON_PASSWORDS, isCommonPassword } from "@/server/auth/common-passwords";
import { isSessionLive, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, sessionClaims, sessionTokenMaxAge } from "@/server/auth/session-lifetime";
import { lockedUntil } from "@/server/auth/sign-in-limits";
import { pageContentSecurityPolicy } from "@/server/lib/security-headers";

const MIN = 60_000;
const at = (...minutes: number[]) => minutes.map((m) => new Date(Date.UTC(2026, 0, 1) + m * MIN));
const T0 = Date.UTC(2026, 0, 1);

describe("lockedUntil", () => {
  it("locks for 15 min after the 5th failure within 15 min", () => {
    expect(lockedUntil(at(0, 1, 2, 3), 5, 15 * MIN, 15 * MIN)).toBeNull();
    expect(lockedUntil(at(0, 1, 2, 3, 4), 5, 15 * MIN, 15 * MIN)).toBe(T0 + 19 * MIN);
    // spread over more than the window: no lock
    expect(lockedUntil(at(0, 4, 8, 12, 16), 5, 15 * MIN, 15 * MIN)).toBeNull();
    // the latest run of five decides
    expect(lockedUntil(at(0, 1, 2, 3, 4, 30, 31, 32, 33, 34), 5, 15 * MIN, 15 * MIN)).toBe(T0 + 49 * MIN);
  });
});

describe("client address", () => {
  it("takes the peer Next recorded, or the address the trusted proxy appended — never a client-written entry", () => {
    expect(clientIp({ "x-forwarded-for": "203.0.113.9" }, undefined)).toBe("203.0.113.9");
    // one proxy of ours appended the real peer after what the client wrote
    expect(clientIp({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, "1")).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2" }), "2")).toBe("203.0.113.9");
    expect(clientIp({ "x-forwarded-for": "::ffff:127.0.0.1" }, undefined)).toBe("127.0.0.1");
    expect(clientIp({}, "1")).toBeNull();
    expect(clientIp({ "x-forwarded-for": "not-an-ip" }, undefined)).toBeNull();
  });

  it("normalises ports, brackets and case", () => {
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("198.51.100.7:51234")).toBe("198.51.100.7");
    expect(normalizeIp("")).toBeNull();
  });
});

describe("common passwords", () => {
  it("holds a few hundred, Chinese favourites included", () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
    for (const p of ["123456", "woaini1314", "qq123456", "a123456", "5201314", "12345678", "password", "1qaz2wsx", "zhang123456"]) expect(COMMON_PASSWORDS.has(p), p).toBe(true);
  });

  it("refuses listed, repeated, sequential and email-derived passwords, case-insensitively", () => {
    for (const p of ["WoAiNi1314", "P@ssw0rd", "aaaaaaaaaa", "23456789", "qwertyuiop", "abcdefghij", "9876543210"]) expect(isCommonPassword(p), p).toBe(true);
    expect(isCommonPassword("liu.lina@zs.example", "Liu.Lina@zs.example")).toBe(true);
    expect(isCommonPassword("liulina", "liu.lina@zs.example")).toBe(true);
    for (const p of ["Test-pass-2026", "Harbour-lights-77", "e2e-Demo-2026", "稳健招商2026"]) expect(isCommonPassword(p, "staff@zs.example"), p).toBe(false);
  });
});

describe("session lifetimes", () => {
  const now = 1_800_000_000;
  it("ends idle sessions and sessions past the absolute limit", () => {
    expect(isSessionLive({ authAt: now - 3600, iat: now - 60 }, now)).toBe(true);
    expect(isSessionLive({ authAt: now - 3600, iat: now - SESSION_IDLE_SECONDS - 1 }, now)).toBe(false);
    expect(isSessionLive({ authAt: now - SESSION_ABSOLUTE_SECONDS - 1, iat: now }, now)).toBe(false);
    expect(isSessionLive({ authAt: now + 3600, iat: now }, now)).toBe(false);
  });

  it("re-issued tokens never outlive the absolute limit", () => {
    expect(sessionTokenMaxAge(now, now)).toBe(SESSION_IDLE_SECONDS);
    expect(sessionTokenMaxAge(now - SESSION_ABSOLUTE_SECONDS + 600, now)).toBe(600);
  });

  it("needs every claim", () => {
    expect(sessionClaims({ uid: "u", sv: 1, authAt: now, iat: now })).toEqual({ uid: "u", sv: 1, authAt: now, iat: now });
    expect(sessionClaims({ uid: "u", sv: 1, iat: now })).toBeNull();
    expect(sessionClaims(null)).toBeNull();
  });
});

describe("page CSP", () => {
  it("relaxes only what development needs", () => {
    const prod = pageContentSecurityPolicy("abc");
    expect(prod).not.toContain("unsafe-eval");
    expect(prod).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(pageContentSecurityPolicy("abc", { dev: true })).toContain("'unsafe-eval'");
  });
});
