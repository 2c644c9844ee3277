// Business dates are calendar dates (yyyy-mm-dd) in the bureau's time zone (China Standard Time,
// UTC+8, no daylight saving); recorded times are UTC instants. Pure string/UTC arithmetic: the
// result never depends on the server's own time zone.
const DAY = 86_400_000;
export const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's business date in China. `now` injectable for tests. */
export function todayCN(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A real calendar date between 1900 and 2999 (rejects 2017-02-30, 0000-01-01, 9999-12-31). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const toUtc = (s: string) => Date.parse(`${s}T00:00:00Z`);
const fromUtc = (t: number) => new Date(t).toISOString().slice(0, 10);

export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY);
}

export function addDays(s: string, n: number): string {
  return fromUtc(toUtc(s) + n * DAY);
}

/** Same calendar dates one year earlier (29 Feb → 28 Feb). */
export function minusOneYear(s: string): string {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${String(y - 1).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}
