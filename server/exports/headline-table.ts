// The headline figures as a table (one row per unit: the unit itself, then its children), shared
// by the CLI report, the review-meeting pack and the dashboard export.
import ExcelJS from "exceljs";
import type { TFigureBlock, THeadline, TUnitFigures } from "@/server/figures/headline";
import { translate, type TLocale } from "@/server/lib/i18n";
import { dec, toWan } from "@/lib/money";
import { rankUnits } from "@/lib/review-pack";
import { fitWidth, safeText, toCsv, type TCell } from "./cells";

type TColumn = { key: string; label: string; kind: "text" | "int" | "money" | "pct"; get: (u: TUnitFigures) => TCell };

function blockColumns(prefix: "domestic" | "foreign" | "out_of_province", pick: (u: TUnitFigures) => TFigureBlock, locale: TLocale): TColumn[] {
  const l = (k: string) => translate(locale, `headlineTable.${prefix}.${k}`);
  return [
    { key: `${prefix}_projects`, label: l("projects"), kind: "int", get: (u) => pick(u).projects },
    { key: `${prefix}_funds`, label: l("funds"), kind: "money", get: (u) => pick(u).funds },
    { key: `${prefix}_projects_yoy_pct`, label: l("projectsYoy"), kind: "pct", get: (u) => pick(u).projects_yoy_pct },
    { key: `${prefix}_funds_yoy_pct`, label: l("fundsYoy"), kind: "pct", get: (u) => pick(u).funds_yoy_pct },
    { key: `${prefix}_target`, label: l("target"), kind: "money", get: (u) => pick(u).target },
    { key: `${prefix}_target_progress_pct`, label: l("progress"), kind: "pct", get: (u) => pick(u).target_progress_pct },
    { key: `${prefix}_ahead_pct`, label: l("ahead"), kind: "pct", get: (u) => pick(u).ahead_pct },
  ];
}

export function headlineColumns(locale: TLocale): TColumn[] {
  const l = (k: string) => translate(locale, `headlineTable.${k}`);
  return [
    { key: "unit", label: l("unit"), kind: "text", get: (u) => u.unit },
    { key: "name", label: l("name"), kind: "text", get: (u) => u.name },
    ...blockColumns("domestic", (u) => u.domestic, locale),
    ...blockColumns("foreign", (u) => u.foreign, locale),
    ...blockColumns("out_of_province", (u) => u.out_of_province, locale),
    { key: "signed_projects", label: l("signedProjects"), kind: "int", get: (u) => u.signed.projects },
    { key: "signed_domestic_amount", label: l("signedDomestic"), kind: "money", get: (u) => u.signed.domestic_amount },
    { key: "signed_foreign_amount", label: l("signedForeign"), kind: "money", get: (u) => u.signed.foreign_amount },
    { key: "pending_tranches", label: l("pendingTranches"), kind: "int", get: (u) => u.pending.tranches },
    { key: "pending_domestic_amount", label: l("pendingDomestic"), kind: "money", get: (u) => u.pending.domestic_amount },
    { key: "pending_foreign_amount", label: l("pendingForeign"), kind: "money", get: (u) => u.pending.foreign_amount },
  ];
}

/** 调度会材料: the child units ranked by domestic funds (rank 1 = most), exactly (lib/review-pack.ts). */
export const rankedChildren = (h: THeadline) => rankUnits(h.children);

const rankColumn = (locale: TLocale, ranks: Map<string, number>): TColumn => ({
  key: "rank", label: translate(locale, "headlineTable.rank"), kind: "int", get: (u) => ranks.get(u.unit) ?? null,
});

/** The table's columns and lines: with `ranked`, a rank column and the children in rank order, the unit's total last. */
function layout(h: THeadline, locale: TLocale, ranked: boolean) {
  const ranking = rankedChildren(h);
  const cols = ranked ? [rankColumn(locale, new Map(ranking.map((x) => [x.u.unit, x.rank]))), ...headlineColumns(locale)] : headlineColumns(locale);
  const lines = ranked ? [...ranking.map((x) => x.u), h] : [h, ...h.children];
  return { cols, lines };
}

/** CSV: machine keys in the first line when `keys`, localised labels otherwise; amounts in yuan/dollars. */
export function headlineCsv(h: THeadline, locale: TLocale, { keys = false, ranked = false } = {}) {
  const { cols, lines } = layout(h, locale, ranked);
  const unit = (c: TColumn) => (c.kind === "money" ? translate(locale, "common.inParens", { note: translate(locale, c.key.includes("foreign") ? "common.usd" : "common.yuan") }) : "");
  return toCsv(
    cols.map((c) => (keys ? c.key : `${c.label}${unit(c)}`)),
    lines.map((u) => cols.map((c) => c.get(u))),
  );
}

/** A figure as a spreadsheet number: exact decimal arithmetic, a JS number only for the cell. */
function cellNumber(c: TColumn, v: TCell): number | string | null {
  if (v === null || v === undefined) return null;
  if (c.kind === "money") return dec(String(v)).div(10_000).toNumber(); // shown in 万, 2 decimals
  if (c.kind === "pct") return dec(String(v)).div(100).toNumber(); // a 0.0% format
  if (c.kind === "int") return typeof v === "number" ? v : dec(v).toNumber();
  return safeText(String(v));
}

/** What a cell shows, for fitting its column. */
function shown(c: TColumn, v: TCell): string {
  if (v === null || v === undefined) return "";
  if (c.kind === "money") return toWan(String(v));
  if (c.kind === "pct") return `${v}%`;
  return String(v);
}

/** XLSX: one sheet, amounts as numbers in 万元/万美元 with two decimals, frozen header, columns fitted. */
export async function headlineXlsx(h: THeadline, locale: TLocale, opts: { ranked?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "zhaoshang-tracker";
  const ws = wb.addWorksheet(translate(locale, "headlineTable.sheet"), { views: [{ state: "frozen", ySplit: 3, xSplit: opts.ranked ? 3 : 2 }] });
  const { cols, lines } = layout(h, locale, !!opts.ranked);
  ws.addRow([safeText(`${opts.ranked ? `${translate(locale, "headlineTable.reviewPack")} · ` : ""}${h.name}（${h.unit}）${h.from} – ${h.to}`)]);
  ws.addRow([
    translate(locale, "headlineTable.note", { schedule: h.schedule_pct, asOf: h.as_of ?? "—", version: h.definition_version }),
  ]);
  const headers = cols.map((c) => (c.kind === "money" ? `${c.label}${translate(locale, "common.inParens", { note: translate(locale, c.key.includes("foreign") ? "common.wanUsd" : "common.wanCny") })}` : c.label));
  const header = ws.addRow(headers);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "middle" };
  for (const u of lines) {
    const row = ws.addRow(cols.map((c) => cellNumber(c, c.get(u))));
    if (u === h) row.font = { bold: true };
  }
  cols.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    // headers wrap (the row is tall): a column needs about half its header's width, or its widest value
    col.width = Math.max(fitWidth(lines.map((u) => shown(c, c.get(u))), { min: 6, max: 30 }), Math.min(16, Math.ceil(fitWidth([headers[i]!]) / 2)));
    if (c.kind === "money") col.numFmt = "#,##0.00";
    if (c.kind === "int") col.numFmt = "0";
    if (c.kind === "pct") col.numFmt = "0.0%";
  });
  ws.getRow(3).height = 42;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
