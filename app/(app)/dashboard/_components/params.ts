import { todayCN } from "@/lib/dates";
import { isValidPeriod, ytdPeriod } from "@/lib/periods";

export type TDashParams = { unit: string; from: string; to: string; asOf: Date | null };

/** Dashboard state from the URL (/dashboard?unit=…&from=…&to=…&asOf=…), defaults: own unit, year to date. */
export function parseDashParams(sp: Record<string, string | string[] | undefined>, ownUnit: string): TDashParams {
  const one = (k: string) => (Array.isArray(sp[k]) ? sp[k]![0] : (sp[k] as string | undefined))?.trim();
  const period = { from: one("from"), to: one("to") };
  const p = isValidPeriod(period) ? period : ytdPeriod(todayCN());
  const asOfRaw = one("asOf");
  const asOf = asOfRaw && !Number.isNaN(Date.parse(asOfRaw)) ? new Date(asOfRaw) : null;
  return { unit: one("unit") || ownUnit, from: p.from, to: p.to, asOf: asOf && asOf.getTime() < Date.now() ? asOf : null };
}

/** The project list behind a figure. */
export function drill(unit: string, q: Record<string, string | undefined>) {
  const s = new URLSearchParams({ unit });
  for (const [k, v] of Object.entries(q)) if (v) s.set(k, v);
  return `/projects?${s}`;
}

export const rangeParam = (from: string, to: string) => `${from}..${to}`;
