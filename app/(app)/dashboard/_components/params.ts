import { parseAsOf } from "@/lib/as-of";
import { todayCN } from "@/lib/dates";
import { isValidPeriod, ytdPeriod } from "@/lib/periods";

export type TDashParams = {
  unit: string;
  from: string;
  to: string;
  asOf: Date | null;
  /** what the URL asked for but could not be used (the page says so instead of silently ignoring it) */
  invalid: { period?: { from: string; to: string }; asOf?: string };
};

/** Dashboard state from the URL (/dashboard?unit=…&from=…&to=…&asOf=…), defaults: own unit, year to date. */
export function parseDashParams(sp: Record<string, string | string[] | undefined>, ownUnit: string, now = new Date()): TDashParams {
  const one = (k: string) => (Array.isArray(sp[k]) ? sp[k]![0] : (sp[k] as string | undefined))?.trim();
  const period = { from: one("from"), to: one("to") };
  const asked = !!(period.from || period.to);
  const p = isValidPeriod(period) ? period : ytdPeriod(todayCN(now));
  const invalid: TDashParams["invalid"] = {};
  if (asked && !isValidPeriod(period)) invalid.period = { from: period.from || "—", to: period.to || "—" };
  const asOfRaw = one("asOf");
  // a date alone is the end of that day in China, like the CLI's --as-of
  const parsed = asOfRaw ? parseAsOf(asOfRaw) : null;
  const asOf = parsed && parsed.getTime() < now.getTime() ? parsed : null;
  if (asOfRaw && !asOf) invalid.asOf = asOfRaw;
  return { unit: one("unit") || ownUnit, from: p.from, to: p.to, asOf, invalid };
}

/** The project list behind a figure (the list shows projects as they are now). */
export function drill(unit: string, q: Record<string, string | undefined>) {
  const s = new URLSearchParams({ unit });
  for (const [k, v] of Object.entries(q)) if (v) s.set(k, v);
  return `/projects?${s}`;
}

export const rangeParam = (from: string, to: string) => `${from}..${to}`;
