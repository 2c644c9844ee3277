import { describe, expect, it } from "vitest";
import { dueState, isStale, threeNot } from "@/lib/follow-up-rules";

describe("staleness", () => {
  const p = { status: "active", stage: "negotiation", lastActivityOn: "2026-10-27", stageSince: "2026-01-01" };
  it("is stale after the configured days without an activity", () => {
    expect(isStale(p, 30, "2026-11-26")).toBe(false); // 30 days: not yet
    expect(isStale(p, 30, "2026-11-27")).toBe(true); // 31 days
    expect(isStale(p, 60, "2026-11-27")).toBe(false);
  });
  it("falls back to the stage date, and ignores funded, paused and lost projects", () => {
    expect(isStale({ ...p, lastActivityOn: null, stageSince: "2026-11-01" }, 30, "2026-11-27")).toBe(false);
    expect(isStale({ ...p, lastActivityOn: null }, 30, "2026-11-27")).toBe(true);
    expect(isStale({ ...p, stage: "funds" }, 30, "2026-11-27")).toBe(false);
    expect(isStale({ ...p, status: "on_hold" }, 30, "2026-11-27")).toBe(false);
  });
});

describe("next steps", () => {
  it("classifies due dates", () => {
    expect(dueState("2026-11-26", "2026-11-27")).toBe("overdue");
    expect(dueState("2026-11-27", "2026-11-27")).toBe("today");
    expect(dueState("2026-12-04", "2026-11-27")).toBe("soon");
    expect(dueState("2026-12-05", "2026-11-27")).toBe("later");
  });
});

describe("三未 projects", () => {
  const signed = { stage: "signed", status: "active", signedOn: "2026-01-10", registeredOn: null, constructionOn: null, hasVerifiedFunds: false };
  it("lists what a project signed more than N days ago still lacks", () => {
    expect(threeNot(signed, 180, "2026-11-27")).toEqual(["not_registered", "not_started", "not_funded"]);
    expect(threeNot({ ...signed, registeredOn: "2026-02-01", hasVerifiedFunds: true }, 180, "2026-11-27")).toEqual(["not_started"]);
  });
  it("ignores recent signings, lost projects and projects not signed", () => {
    expect(threeNot(signed, 365, "2026-11-27")).toEqual([]);
    expect(threeNot({ ...signed, status: "lost" }, 180, "2026-11-27")).toEqual([]);
    expect(threeNot({ ...signed, stage: "negotiation", signedOn: null }, 180, "2026-11-27")).toEqual([]);
    expect(threeNot({ ...signed, registeredOn: "2026-02-01", constructionOn: "2026-05-01", hasVerifiedFunds: true }, 180, "2026-11-27")).toEqual([]);
  });
});
