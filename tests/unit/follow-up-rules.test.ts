import { describe, expect, it } from "vitest";
import { dueState } from "@/lib/follow-up-rules";

// Staleness and 三未 are SQL (server/projects/project-scope.ts, server/flags/three-not.ts), one
// definition each, tested at their boundaries in tests/integration/daily-work.test.ts.
describe("next steps", () => {
  it("classifies due dates", () => {
    expect(dueState("2026-11-26", "2026-11-27")).toBe("overdue");
    expect(dueState("2026-11-27", "2026-11-27")).toBe("today");
    expect(dueState("2026-12-04", "2026-11-27")).toBe("soon");
    expect(dueState("2026-12-05", "2026-11-27")).toBe("later");
    expect(dueState("2026-11-28", "2026-11-27", 0)).toBe("later");
  });
});
