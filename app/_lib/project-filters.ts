// Project-list filters <-> URL search params. Every filter lives in the URL so a link can be
// shared; unknown or malformed values are dropped rather than failing the page.
import { CAPITAL_TYPES, INDUSTRIES, ORIGIN_CLASSES, SOURCE_CHANNELS, STAGES, STATUSES } from "@/lib/domain";

export const SORTS = ["code", "name", "investor", "unit", "stage", "planned", "signed", "signedOn", "stageSince", "updated"] as const;
export const PAGE_SIZES = [20, 50, 100] as const;

export type TSearchParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined) => (v && (values as readonly string[]).includes(v) ? (v as T) : undefined);
const many = <T extends string>(values: readonly T[], v: string | undefined) => {
  const xs = (v ?? "").split(",").filter((x): x is T => (values as readonly string[]).includes(x));
  return xs.length ? [...new Set(xs)] : undefined;
};
const bool = (v: string | undefined) => (v === "1" ? true : v === "0" ? false : undefined);
const range = (v: string | undefined) => {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(v ?? "");
  return m && m[1]! <= m[2]! ? { from: m[1]!, to: m[2]! } : undefined;
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseProjectFilters(sp: TSearchParams) {
  const page = Number(one(sp.page));
  const size = Number(one(sp.size));
  return {
    q: one(sp.q)?.slice(0, 100),
    stage: many(STAGES, one(sp.stage)),
    status: many(STATUSES, one(sp.status)),
    capitalType: oneOf(CAPITAL_TYPES, one(sp.capital)),
    originClass: many(ORIGIN_CLASSES, one(sp.origin)),
    sourceChannel: oneOf(SOURCE_CHANNELS, one(sp.channel)),
    industry: oneOf(INDUSTRIES, one(sp.industry)),
    unit: one(sp.unit)?.slice(0, 40),
    ownerId: UUID.test(one(sp.owner) ?? "") ? one(sp.owner) : undefined,
    major: bool(one(sp.major)),
    emerging: bool(one(sp.emerging)),
    funded: range(one(sp.funded)),
    pendingIn: range(one(sp.pending)),
    signedIn: range(one(sp.signed)),
    stale: one(sp.stale) === "1" ? true : undefined,
    unfunded: one(sp.unfunded) === "1" ? true : undefined,
    sort: oneOf(SORTS, one(sp.sort)) ?? "updated",
    dir: oneOf(["asc", "desc"] as const, one(sp.dir)) ?? (oneOf(SORTS, one(sp.sort)) ? "asc" : "desc"),
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}
export type TProjectListState = ReturnType<typeof parseProjectFilters>;

/** Search params with `changes` applied; filters reset to page 1 unless the page itself changes. */
export function withParams(current: TSearchParams, changes: Record<string, string | undefined | null>): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(current)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value) next.set(k, value);
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === "") next.delete(k);
    else next.set(k, v);
  }
  if (!("page" in changes)) next.delete("page");
  const s = next.toString();
  return s ? `?${s}` : "";
}
