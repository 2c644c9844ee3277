// 统计期锁定: the month or quarter a lock covers, and how a lock's period is named in messages
// ("2026年第1季度", "Q1 2026"; the ICU message `locks.period` takes these values).
import type { TPeriodKind } from "./domain";
import { monthPeriod, quarterPeriod, type TPeriod } from "./periods";

/** Filter of the lock list: every lock, the ones in force, or the reopened ones (history). */
export const LOCK_STATUSES = ["all", "active", "reopened"] as const;
export type TLockStatus = (typeof LOCK_STATUSES)[number];

/** The dates a month or quarter lock covers. */
export const lockRange = (kind: TPeriodKind, year: number, n: number): TPeriod => (kind === "month" ? monthPeriod(year, n) : quarterPeriod(year, n));

/** Year and number of a lock's period, as message values. */
export function lockPeriodValues(kind: TPeriodKind, periodStart: string) {
  const year = periodStart.slice(0, 4);
  const month = Number(periodStart.slice(5, 7));
  // strings, not numbers: ICU would print a number with a thousands separator ("2,026")
  return { kind, year, n: String(kind === "month" ? month : Math.ceil(month / 3)) };
}
