// Reporting periods: a year, quarter, month, year-to-date or any from–to range of business dates.
import { daysBetween, isIsoDate, minusOneYear } from "./dates";

export type TPeriod = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export const yearPeriod = (y: number): TPeriod => ({ from: `${y}-01-01`, to: `${y}-12-31` });
export const quarterPeriod = (y: number, q: number): TPeriod => ({
  from: `${y}-${pad(q * 3 - 2)}-01`,
  to: `${y}-${pad(q * 3)}-${pad(lastDay(y, q * 3))}`,
});
export const monthPeriod = (y: number, m: number): TPeriod => ({ from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}` });
export const ytdPeriod = (today: string): TPeriod => ({ from: `${today.slice(0, 4)}-01-01`, to: today });

/** The same calendar dates one year earlier (the YoY comparison period). */
export const previousYear = (p: TPeriod): TPeriod => ({ from: minusOneYear(p.from), to: minusOneYear(p.to) });

/** 1 January of the period's end year through its end: what target progress counts. */
export const yearToEnd = (p: TPeriod): TPeriod => ({ from: `${p.to.slice(0, 4)}-01-01`, to: p.to });

/** Days of the end year elapsed at the period's end, and the year's length (schedule = a / b). */
export function yearElapsed(p: TPeriod) {
  const y = Number(p.to.slice(0, 4));
  return { days: daysBetween(`${y}-01-01`, p.to) + 1, yearDays: daysBetween(`${y}-01-01`, `${y + 1}-01-01`) };
}

export function isValidPeriod(p: Partial<TPeriod>): p is TPeriod {
  return !!p.from && !!p.to && isIsoDate(p.from) && isIsoDate(p.to) && p.from <= p.to;
}

/** What kind of period a range is, for labels: 2017, 2017Q1, 2017-03, or a custom range. */
export function describePeriod(p: TPeriod): { kind: "year" | "quarter" | "month" | "custom"; year: number; n?: number } {
  const y = Number(p.from.slice(0, 4));
  const same = (q: TPeriod) => q.from === p.from && q.to === p.to;
  if (same(yearPeriod(y))) return { kind: "year", year: y };
  for (let q = 1; q <= 4; q++) if (same(quarterPeriod(y, q))) return { kind: "quarter", year: y, n: q };
  for (let m = 1; m <= 12; m++) if (same(monthPeriod(y, m))) return { kind: "month", year: y, n: m };
  return { kind: "custom", year: y };
}
