// Matching a file's header row to the columns of its kind (lib/import-columns.ts).
import type { TMessage } from "@/server/lib/errors";
import { AMOUNT_UNITS, normalizeHeader, splitHeader } from "./values";

export { COLUMNS, IMPORT_KINDS, type TColumn, type TImportKind } from "@/lib/import-columns";
import { COLUMNS, type TImportKind } from "@/lib/import-columns";

export type THeaderMap = { index: Record<string, number>; unit: Record<string, string | null>; problems: Array<{ column: string | null; message: TMessage }> };

/** Match a header row to the kind's columns. Unknown columns are ignored; missing required ones are errors. */
export function mapHeader(kind: TImportKind, header: string[]): THeaderMap {
  const out: THeaderMap = { index: {}, unit: {}, problems: [] };
  header.forEach((raw, i) => {
    if (!raw.trim()) return;
    const { name, unit } = splitHeader(raw);
    const col = COLUMNS[kind].find((c) => [c.key, ...c.aliases].some((a) => normalizeHeader(a) === name)) ?? COLUMNS[kind].find((c) => [c.key, ...c.aliases].some((a) => normalizeHeader(a) === normalizeHeader(raw)));
    if (!col) return;
    if (col.key in out.index) {
      out.problems.push({ column: raw, message: { key: "errors.import.duplicateColumn", values: { column: raw } } });
      return;
    }
    if (unit && col.amount && !AMOUNT_UNITS[unit]) out.problems.push({ column: raw, message: { key: "errors.import.unknownUnit", values: { column: raw } } });
    out.index[col.key] = i;
    out.unit[col.key] = col.amount ? unit : null;
  });
  for (const c of COLUMNS[kind])
    if (c.required && !(c.key in out.index)) out.problems.push({ column: c.aliases[0] ?? c.key, message: { key: "errors.import.missingColumn", values: { column: `${c.aliases[0]} / ${c.key}` } } });
  return out;
}

/**
 * The header row among the first rows: the one naming the most of the kind's columns (a title or
 * a note above the table names none). Without any match, the first row, so its missing columns
 * are reported.
 */
export function findHeaderRow(kind: TImportKind, rows: Array<{ cells: string[] }>, scan: number): number {
  let best = 0;
  let bestCount = 0;
  rows.slice(0, scan).forEach((r, i) => {
    const n = Object.keys(mapHeader(kind, r.cells).index).length;
    if (n > bestCount) [best, bestCount] = [i, n];
  });
  return best;
}
