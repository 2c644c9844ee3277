// Project list and stage-report files (CSV and XLSX), written to a stream as rows are read, so
// memory stays flat whatever the number of rows. A reader that goes away (the browser closed the
// download) stops the export: nothing waits for a 'drain' that will never come.
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { units } from "@/db/schema";
import { STAGES, type TStage } from "@/lib/domain";
import { dec, toWan } from "@/lib/money";
import type { TActor } from "@/server/auth/actor";
import { translate, type TLocale } from "@/server/lib/i18n";
import { projectFilterWhere, ZProjectFilters, type TProjectFilters } from "@/server/projects/find-projects";
import { CSV_BOM, csvLine, fitWidth, safeText, type TCell } from "./cells";
import { currencyOfRow, projectBatches, projectExportColumns, wanNumber, type TProjectExportRow } from "./project-rows";

/** The reader of the file went away: the export stops where it is. */
class ReaderGone extends Error {
  constructor() {
    super("the download was closed by its reader");
  }
}

const gone = (out: Writable) => out.destroyed || out.closed || out.writableEnded;

/** Wait until the stream can take more — or until it is closed or fails, whichever comes first. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (e?: Error) => {
      out.off("drain", onDrain);
      out.off("close", onClose);
      out.off("error", onError);
      if (e) reject(e);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new ReaderGone());
    const onError = () => settle(new ReaderGone());
    out.on("drain", onDrain);
    out.on("close", onClose);
    out.on("error", onError);
  });
}

async function write(out: Writable, chunk: string | Buffer) {
  if (gone(out)) throw new ReaderGone();
  if (!out.write(chunk)) await drained(out);
}

/** Run an export; a reader that left is not a failure (there is nobody to tell), just the end. */
async function untilReaderGone(out: Writable, body: (count: (k: number) => void) => Promise<void>): Promise<number> {
  let n = 0;
  try {
    await body((k) => (n += k));
  } catch (err) {
    if (err instanceof ReaderGone || gone(out)) return n;
    throw err;
  }
  return n;
}

/** Unit names by code (investors' home-province cities are named by them), and their paths. */
async function unitNames(db: Db) {
  const rows = await db.select({ code: units.code, name: units.name, path: units.path }).from(units);
  return Object.assign(new Map(rows.map((r) => [r.code, r.name])), { paths: new Map(rows.map((r) => [r.code, r.path])) });
}

/** CSV (UTF-8 with BOM) of the projects matching the filters; amounts in exact yuan/dollars. */
export async function writeProjectsCsv(db: Db, actor: Pick<TActor, "unitPath">, filters: TProjectFilters, locale: TLocale, out: Writable) {
  const cols = projectExportColumns(locale, await unitNames(db), "base");
  return untilReaderGone(out, async (count) => {
    await write(out, CSV_BOM + csvLine(cols.map((c) => c.header)));
    for await (const batch of projectBatches(db, actor, filters)) {
      await write(out, batch.map((r) => csvLine(cols.map((c) => c.value(r)))).join(""));
      count(batch.length);
    }
    out.end();
  });
}

const SUMMARY_AMOUNTS = ["planned_cny", "planned_usd", "signed_cny", "signed_usd", "funds_cny", "funds_usd"] as const;
type TSummaryRow = { stage: TStage; n: number } & Record<(typeof SUMMARY_AMOUNTS)[number], string>;

/** Per stage: projects, planned, signed and verified funds per currency — and the total line. */
async function stageSummary(db: Db, actor: Pick<TActor, "unitPath">, filters: TProjectFilters) {
  const where = await projectFilterWhere(db, actor, ZProjectFilters.parse(filters));
  // the list's WHERE refers to investors (search by investor name): join it here too
  const rows = await queryRows<TSummaryRow>(
    db,
    sql`select p.stage, count(*)::int as n,
        coalesce(sum(p.planned_amount) filter (where p.capital_type = 'domestic'), 0)::text as planned_cny,
        coalesce(sum(p.planned_amount) filter (where p.capital_type = 'foreign'), 0)::text as planned_usd,
        coalesce(sum(p.signed_amount) filter (where p.capital_type = 'domestic'), 0)::text as signed_cny,
        coalesce(sum(p.signed_amount) filter (where p.capital_type = 'foreign'), 0)::text as signed_usd,
        coalesce(sum(f.v) filter (where p.capital_type = 'domestic'), 0)::text as funds_cny,
        coalesce(sum(f.v) filter (where p.capital_type = 'foreign'), 0)::text as funds_usd
      from projects p join investors on investors.id = p.investor_id
      left join lateral (select sum(t.amount) as v from tranches t where t.project_id = p.id and t.status = 'verified') f on true
      where p.id in (select projects.id from projects join investors on investors.id = projects.investor_id where ${where})
      group by p.stage`,
  );
  const lines = STAGES.map((stage) => {
    const s = rows.find((x) => x.stage === stage);
    return { stage, n: s?.n ?? 0, amounts: SUMMARY_AMOUNTS.map((k) => dec(s?.[k] ?? "0").toFixed(2)) };
  });
  const total = {
    n: lines.reduce((acc, l) => acc + l.n, 0),
    amounts: SUMMARY_AMOUNTS.map((_, i) => lines.reduce((acc, l) => acc.plus(l.amounts[i]!), dec(0)).toFixed(2)),
  };
  return { lines, total };
}

function describeFilters(filters: TProjectFilters, locale: TLocale) {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === "object" && !Array.isArray(v) ? `${(v as { from: string }).from}..${(v as { to: string }).to}` : String(v)}`);
  return parts.length ? parts.join("; ") : translate(locale, "exports.noFilters");
}

/** The title lines of a stage report: what, whose, when, which filters. */
function reportTitle(unitName: string, filters: TProjectFilters, locale: TLocale, amounts: "wan" | "base") {
  const t = (k: string, v?: Record<string, string>) => translate(locale, `exports.${k}`, v);
  return [
    `${t("stageReport")} · ${unitName}`,
    t(amounts === "wan" ? "generated" : "generatedBase", { at: new Date().toISOString().slice(0, 16).replace("T", " "), scope: unitName }),
    t("filters", { filters: describeFilters(filters, locale) }),
  ];
}

/** The unit the report is of: the filter's when in the user's scope (an outside one is not named), else the user's own. */
function reportUnit(names: Awaited<ReturnType<typeof unitNames>>, actor: Pick<TActor, "unitName" | "unitPath">, filters: TProjectFilters) {
  const inScope = !!filters.unit && (names.paths.get(filters.unit) ?? "").startsWith(actor.unitPath) && names.paths.has(filters.unit);
  return (inScope && names.get(filters.unit!)) || actor.unitName;
}

const stagesOf = (filters: TProjectFilters) => STAGES.filter((x) => !filters.stage?.length || filters.stage.includes(x));

/**
 * Stage report as CSV (UTF-8 with BOM): the summary block (per stage, and the total; exact
 * yuan/dollars), then each stage's projects under its own title and header line.
 */
export async function writeStageReportCsv(db: Db, actor: Pick<TActor, "unitPath" | "unitName">, filters: TProjectFilters, locale: TLocale, out: Writable) {
  const names = await unitNames(db);
  const cols = projectExportColumns(locale, names, "base");
  const t = (k: string) => translate(locale, `exports.${k}`);
  const summary = await stageSummary(db, actor, filters);
  return untilReaderGone(out, async (count) => {
    const head = reportTitle(reportUnit(names, actor, filters), filters, locale, "base").map((x) => csvLine([x]));
    const summaryHeader = [translate(locale, "project.stage"), t("count"), ...SUMMARY_AMOUNTS.map((k) => t(`base.${k}`))];
    const lines: TCell[][] = [
      summaryHeader,
      ...summary.lines.map((l) => [translate(locale, `enums.stage.${l.stage}`), l.n, ...l.amounts]),
      [t("total"), summary.total.n, ...summary.total.amounts],
    ];
    await write(out, CSV_BOM + head.join("") + "\r\n" + lines.map(csvLine).join(""));
    for (const stage of stagesOf(filters)) {
      const line = summary.lines.find((l) => l.stage === stage)!;
      await write(out, `\r\n${csvLine([translate(locale, "exports.stageSection", { stage: translate(locale, `enums.stage.${stage}`), n: String(line.n) })])}${csvLine(cols.map((c) => c.header))}`);
      for await (const batch of projectBatches(db, actor, { ...filters, stage: [stage] })) {
        await write(out, batch.map((r) => csvLine(cols.map((c) => c.value(r)))).join(""));
        count(batch.length);
      }
    }
    out.end();
  });
}

type TColumns = ReturnType<typeof projectExportColumns>;

/** What a cell shows, for fitting the column's width to it. */
function shownText(c: TColumns[number], r: TProjectExportRow): string {
  const v = c.value(r);
  if (v === null || v === undefined) return "";
  if (c.kind === "money") return `${wanText(String(v))}万美元`; // with its unit, the longer one
  return typeof v === "string" ? safeText(v) : String(v);
}

/** An amount in 万 as the #,##0.00 format shows it. */
const wanText = (v: string) => toWan(v);

function addProjectRow(ws: ExcelJS.Worksheet, cols: TColumns, r: TProjectExportRow, locale: TLocale) {
  const values = cols.map((c) => {
    const v = c.value(r);
    if (c.kind === "money") return wanNumber(v === null || v === undefined ? null : String(v));
    return v === null || v === undefined ? null : typeof v === "string" ? safeText(v) : v;
  });
  const row = ws.addRow(values);
  // each amount shows its own currency: 万元 for domestic, 万美元 for foreign projects
  const fmt = `#,##0.00"${translate(locale, currencyOfRow(r) === "USD" ? "common.wanUsd" : "common.wanCny")}"`;
  cols.forEach((c, i) => {
    if (c.kind === "money") row.getCell(i + 1).numFmt = fmt;
  });
  row.commit();
}

/**
 * XLSX. `stageReport`: a summary sheet, then one sheet per stage; otherwise one sheet of projects.
 * Amounts are numbers in 万 with a 万元/万美元 format; header frozen; each column as wide as its
 * header and the first batch of rows need (a streamed sheet's widths are written before its rows).
 */
export async function writeProjectsXlsx(
  db: Db,
  actor: Pick<TActor, "unitPath" | "unitName">,
  filters: TProjectFilters,
  locale: TLocale,
  out: Writable,
  opts: { stageReport: boolean },
) {
  const names = await unitNames(db);
  const cols = projectExportColumns(locale, names, "wan");
  const t = (k: string) => translate(locale, `exports.${k}`);
  const summary = opts.stageReport ? await stageSummary(db, actor, filters) : null;
  return untilReaderGone(out, async (count) => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = "zhaoshang-tracker";
    const breathe = async () => {
      if (gone(out)) throw new ReaderGone();
      if (out.writableNeedDrain) await drained(out);
    };
    const writeSheet = async (name: string, batches: AsyncIterable<TProjectExportRow[]>) => {
      let ws: ExcelJS.Worksheet | null = null;
      const open = (first: TProjectExportRow[]) => {
        const sheet = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1, xSplit: 2 }] });
        sheet.columns = cols.map((c) => ({ header: c.header, width: fitWidth([c.header, ...first.map((r) => shownText(c, r))]) }));
        sheet.getRow(1).font = { bold: true };
        return sheet;
      };
      for await (const batch of batches) {
        ws ??= open(batch);
        for (const r of batch) addProjectRow(ws, cols, r, locale);
        count(batch.length);
        await breathe();
      }
      (ws ?? open([])).commit();
    };
    if (summary) {
      const ws = wb.addWorksheet(t("summary"));
      for (const [i, line] of reportTitle(reportUnit(names, actor, filters), filters, locale, "wan").entries()) {
        const row = ws.addRow([safeText(line)]);
        if (i === 0) row.font = { bold: true, size: 14 };
      }
      ws.addRow([]);
      const headers = [translate(locale, "project.stage"), t("count"), t("plannedCny"), t("plannedUsd"), t("signedCny"), t("signedUsd"), t("fundsCny"), t("fundsUsd")];
      ws.addRow(headers).font = { bold: true };
      for (const l of summary.lines) ws.addRow([translate(locale, `enums.stage.${l.stage}`), l.n, ...l.amounts.map(wanNumber)]);
      ws.addRow([t("total"), summary.total.n, ...summary.total.amounts.map(wanNumber)]).font = { bold: true };
      const shown = (i: number) => [
        headers[i]!,
        ...[...summary.lines, { stage: null, ...summary.total }].map((l) => (i === 0 ? (l.stage ? translate(locale, `enums.stage.${l.stage}`) : t("total")) : i === 1 ? String(l.n) : wanText(l.amounts[i - 2]!))),
      ];
      for (let i = 0; i < headers.length; i++) {
        const col = ws.getColumn(i + 1);
        col.width = fitWidth(shown(i), { min: 8, max: 24 });
        if (i > 0) col.numFmt = i === 1 ? "0" : "#,##0.00";
      }
      ws.commit();
      // one sheet per stage (only the stages the filters keep)
      for (const stage of stagesOf(filters)) await writeSheet(translate(locale, `enums.stage.${stage}`), projectBatches(db, actor, { ...filters, stage: [stage] }));
    } else await writeSheet(t("projects"), projectBatches(db, actor, filters));
    await breathe();
    await wb.commit();
  });
}
