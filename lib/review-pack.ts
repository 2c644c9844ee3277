// 调度会材料 (the review-meeting pack): the child units ranked, and the columns a review meeting
// reads for each — shared by the XLSX/CSV files and the print page so they always agree.
import { dec } from "./money";

type TBlock = { projects: number; funds: string; funds_yoy_pct: string | null; target: string | null; target_progress_pct: string | null; ahead_pct: string | null };
export type TReviewUnit = { unit: string; name: string; domestic: TBlock; foreign: TBlock; out_of_province: TBlock };

/**
 * Ranked by domestic funds (实际到位内资), most first, compared exactly; equal funds share a rank
 * (1, 1, 3), listed by unit code.
 */
export function rankUnits<T extends TReviewUnit>(children: readonly T[]): Array<{ rank: number; u: T }> {
  const sorted = [...children].sort((a, b) => dec(b.domestic.funds).cmp(a.domestic.funds) || a.unit.localeCompare(b.unit));
  let rank = 0;
  return sorted.map((u, i) => {
    if (i === 0 || !dec(u.domestic.funds).eq(sorted[i - 1]!.domestic.funds)) rank = i + 1;
    return { rank, u };
  });
}

export const REVIEW_BLOCKS = [
  { block: "domestic", currency: "CNY" },
  { block: "out_of_province", currency: "CNY" },
  { block: "foreign", currency: "USD" },
] as const;
export type TReviewBlock = (typeof REVIEW_BLOCKS)[number]["block"];

/** Per block: projects, funds, funds YoY, annual target, progress, ahead (+) / behind (−) schedule. */
export const REVIEW_FIELDS = [
  { field: "projects", kind: "int" },
  { field: "funds", kind: "money" },
  { field: "funds_yoy_pct", kind: "pct" },
  { field: "target", kind: "money" },
  { field: "target_progress_pct", kind: "pct" },
  { field: "ahead_pct", kind: "pct" },
] as const;

export type TReviewCell = { block: TReviewBlock; field: (typeof REVIEW_FIELDS)[number]["field"]; kind: "int" | "money" | "pct"; currency: "CNY" | "USD"; value: string | number | null };

/** The print view's table: ranked children, then the unit itself (rank null) as the total line. */
export function reviewTable<T extends TReviewUnit>(h: T & { children: readonly T[] }) {
  const cells = (u: T): TReviewCell[] =>
    REVIEW_BLOCKS.flatMap(({ block, currency }) => REVIEW_FIELDS.map(({ field, kind }) => ({ block, field, kind, currency, value: u[block][field] })));
  return [...rankUnits(h.children).map(({ rank, u }) => ({ rank: rank as number | null, u, cells: cells(u) })), { rank: null, u: h as T, cells: cells(h) }];
}
