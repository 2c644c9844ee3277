// "As of" moments as people type them (CLI `--as-of`, the dashboard URL). A date alone means the
// end of that day in China (UTC+8, no daylight saving): "as of 10 April" is everything recorded
// by that evening, not by 08:00 Beijing time (UTC midnight). A time without an offset is China
// time too; a time with `Z` or an offset is taken as given.
import { isIsoDate } from "./dates";

const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseAsOf(input: string): Date | null {
  const s = input.trim();
  if (isIsoDate(s)) return new Date(`${s}T23:59:59.999+08:00`);
  const m = DATE_TIME_RE.exec(s);
  if (!m || !isIsoDate(m[1]!)) return null;
  const [, date, hh, mi, ss = "00", frac = "", zone] = m;
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return null;
  const offset = !zone ? "+08:00" : zone.toUpperCase() === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = frac ? frac.slice(0, 4).padEnd(4, "0") : "";
  const d = new Date(`${date}T${hh}:${mi}:${ss}${ms}${offset}`);
  return Number.isNaN(d.getTime()) ? null : d;
}
