import { describe, expect, it } from "vitest";
import { lockPeriodValues, lockRange } from "@/lib/period-lock";
import { bindingLock, lockMessage, type TActiveLock } from "@/server/locks/assert-unlocked";

const lock = (over: Partial<TActiveLock>): TActiveLock => ({
  id: "l1", unitId: "u1", unitName: "辽宁省", unitPath: "210000/", kind: "quarter", periodStart: "2026-01-01", periodEnd: "2026-03-31",
  lockedAt: new Date("2026-04-10T02:00:00Z"), lockedByName: "王建国", ...over,
});

describe("period locks", () => {
  it("covers a calendar month or quarter, leap days included", () => {
    expect(lockRange("quarter", 2026, 1)).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(lockRange("quarter", 2026, 4)).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(lockRange("month", 2024, 2)).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(lockPeriodValues("quarter", "2026-07-01")).toEqual({ kind: "quarter", year: "2026", n: "3" });
    expect(lockPeriodValues("month", "2026-11-01")).toEqual({ kind: "month", year: "2026", n: "11" });
  });

  it("binds the locked unit and everything below it, on the dates of its period only", () => {
    const province = lock({});
    const dalian = lock({ id: "l2", unitName: "大连市", unitPath: "210000/210200/", kind: "month", periodStart: "2026-05-01", periodEnd: "2026-05-31" });
    const locks = [province, dalian];
    expect(bindingLock(locks, ["210000/210200/DL-JKQ/"], ["2026-03-31"])).toBe(province);
    expect(bindingLock(locks, ["210000/"], ["2026-01-01"])).toBe(province);
    expect(bindingLock(locks, ["210000/"], ["2026-04-01", "2025-12-31"])).toBeUndefined();
    expect(bindingLock(locks, ["220000/"], ["2026-02-01"])).toBeUndefined(); // another province
    expect(bindingLock(locks, ["210000/210200/DL-JKQ/"], ["2026-05-20"])).toBe(dalian);
    expect(bindingLock(locks, ["210000/210100/"], ["2026-05-20"])).toBeUndefined(); // a sibling city
    // a unit whose code starts like the locked one's is not below it: paths end with "/"
    expect(bindingLock([lock({ unitPath: "210000/2102/" })], ["210000/210200/"], ["2026-02-01"])).toBeUndefined();
    // either of a project's old and new units
    expect(bindingLock(locks, ["210000/210100/", "210000/210200/"], ["2026-05-02"])).toBe(dalian);
  });

  it("names the lock (China date of the locking), unless the viewer may not see it", () => {
    const l = lock({ lockedAt: new Date("2026-04-09T17:30:00Z") }); // 01:30 on 10 April in China
    expect(lockMessage(l)).toEqual({ key: "errors.lock.locked", values: { unit: "辽宁省", kind: "quarter", year: "2026", n: "1", by: "王建国", at: "2026-04-10" } });
    expect(lockMessage(l, { unitPath: "210000/210200/" }).key).toBe("errors.lock.locked"); // a lock above binds and is seen
    expect(lockMessage(lock({ unitPath: "210000/210100/" }), { unitPath: "210000/210200/" })).toEqual({ key: "errors.lock.lockedElsewhere" });
  });
});
