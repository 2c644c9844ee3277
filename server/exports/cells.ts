// Cell values for CSV and XLSX files: user text is never a formula (cells beginning with = + - @,
// a tab or a carriage return are prefixed with an apostrophe), CSV is RFC 4180 with a UTF-8 BOM
// so Excel opens Chinese correctly.
export type TCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralise text that a spreadsheet would run as a formula. Plain numbers ("-10.4") pass through. */
export function safeText(v: string): string {
  return FORMULA_START.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
}

/** The inverse, for files we exported coming back in: "'=x" → "=x". */
export const unneutralize = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

export function csvField(v: TCell): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? String(v) : safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_BOM = "\uFEFF";
export const csvLine = (cells: TCell[]) => `${cells.map(csvField).join(",")}\r\n`;

export function toCsv(header: string[], rows: TCell[][]): string {
  return CSV_BOM + csvLine(header) + rows.map(csvLine).join("");
}

/** How wide text shows in a spreadsheet column, in character widths (CJK and full-width count double). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** A column width that fits its widest text (header included), within bounds so one long note cannot take the sheet. */
export function fitWidth(texts: Iterable<string>, { min = 6, max = 50 } = {}): number {
  let w = 0;
  for (const t of texts) w = Math.max(w, displayWidth(t));
  return Math.min(max, Math.max(min, w + 2));
}
