// Project list and stage-report files (CSV and XLSX), written to a stream as rows are read, so
// memory stays flat whatever the number of rows.
import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { units } from "@/db/schema";
import { STAGES, type TStage } from "@/lib/domain";
import { dec } from "@/lib/money";
import type { TActor } from "@/server/auth/actor";
import { translate, type TLocale } from "@/server/lib/i18n";
import { projectFilterWhere, ZProjectFilters, type TProjectFilters } from "@/server/projects/find-projects";
import { CSV_BOM, csvLine, safeText } from "./cells";
import { currencyOfRow, projectBatches, projectExportColumns, wanNumber, type TProjectExportRow } from "./project-rows";

async function write(out: Writable, chunk: string | Buffer) {
  if (!out.write(chunk)) await once(out, "drain");
}

async function cityNames(db: Db) {
  const rows = await db.select({ code: units.code, name: units.name }).from(units);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** CSV (UTF-8 with BOM) of the projects matching the filters; amounts in exact yuan/dollars. */
export async function writeProjectsCsv(db: Db, actor: Pick<TActor, "unitPath">, filters: TProjectFilters, locale: TLocale, out: Writable) {
  const cols = projectExportColumns(locale, await cityNames(db), "base");
  await write(out, CSV_BOM + csvLine(cols.map((c) => c.header)));
  let n = 0;
  for await (const batch of projectBatches(db, actor, filters)) {
    await write(out, batch.map((r) => csvLine(cols.map((c) => c.value(r)))).join(""));
    n += batch.length;
  }
  out.end();
  return n;
}

type TSummaryRow = { stage: TStage; n: number; planned_cny: string; planned_usd: string; signed_cny: string; signed_usd: string; funds_cny: string; funds_usd: string };

async function stageSummary(db: Db, actor: Pick<TActor, "unitPath">, filters: TProjectFilters) {
  const where = await projectFilterWhere(db, actor, ZProjectFilters.parse(filters));
  // the list's WHERE refers to investors (search by investor name): join it here too
  return queryRows<TSummaryRow>(
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
}

function addProjectRow(ws: ExcelJS.Worksheet, cols: ReturnType<typeof projectExportColumns>, r: TProjectExportRow, locale: TLocale) {
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

function describeFilters(filters: TProjectFilters, locale: TLocale) {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === "object" && !Array.isArray(v) ? `${(v as { from: string }).from}..${(v as { to: string }).to}` : String(v)}`);
  return parts.length ? parts.join("; ") : translate(locale, "exports.noFilters");
}

/**
 * XLSX. `stageReport`: a summary sheet, then one sheet per stage; otherwise one sheet of projects.
 * Amounts are numbers in 万 with a 万元/万美元 format; header frozen; column widths set.
 */
export async function writeProjectsXlsx(
  db: Db,
  actor: Pick<TActor, "unitPath" | "unitName">,
  filters: TProjectFilters,
  locale: TLocale,
  out: Writable,
  opts: { stageReport: boolean },
) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "zhaoshang-tracker";
  const cols = projectExportColumns(locale, await cityNames(db), "wan");
  const t = (k: string, v?: Record<string, string>) => translate(locale, `exports.${k}`, v);
  const newSheet = (name: string) => {
    const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1, xSplit: 2 }] });
    ws.columns = cols.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };
  let n = 0;
  const drain = async () => {
    if (out.writableNeedDrain) await once(out, "drain");
  };
  if (opts.stageReport) {
    const summary = await stageSummary(db, actor, filters);
    const ws = wb.addWorksheet(t("summary"));
    ws.addRow([safeText(`${t("stageReport")} · ${actor.unitName}`)]).font = { bold: true, size: 14 };
    ws.addRow([t("generated", { at: new Date().toISOString().slice(0, 16).replace("T", " "), scope: actor.unitName })]);
    ws.addRow([safeText(t("filters", { filters: describeFilters(filters, locale) }))]);
    ws.addRow([]);
    const header = ws.addRow([translate(locale, "project.stage"), t("count"), t("plannedCny"), t("plannedUsd"), t("signedCny"), t("signedUsd"), t("fundsCny"), t("fundsUsd")]);
    header.font = { bold: true };
    const totals = { n: 0, planned_cny: dec(0), planned_usd: dec(0), signed_cny: dec(0), signed_usd: dec(0), funds_cny: dec(0), funds_usd: dec(0) };
    for (const stage of STAGES) {
      const s = summary.find((x) => x.stage === stage);
      const vals = ["planned_cny", "planned_usd", "signed_cny", "signed_usd", "funds_cny", "funds_usd"] as const;
      ws.addRow([translate(locale, `enums.stage.${stage}`), s?.n ?? 0, ...vals.map((k) => wanNumber(s?.[k] ?? "0"))]);
      totals.n += s?.n ?? 0;
      for (const k of vals) totals[k] = totals[k].plus(s?.[k] ?? "0");
    }
    ws.addRow([t("total"), totals.n, ...(["planned_cny", "planned_usd", "signed_cny", "signed_usd", "funds_cny", "funds_usd"] as const).map((k) => wanNumber(totals[k].toFixed(2)))]).font = { bold: true };
    ws.getColumn(1).width = 16;
    for (let i = 2; i <= 8; i++) {
      ws.getColumn(i).width = 18;
      ws.getColumn(i).numFmt = i === 2 ? "0" : "#,##0.00";
    }
    ws.commit();
    // one sheet per stage (only the stages the filters keep)
    for (const stage of STAGES.filter((x) => !filters.stage?.length || filters.stage.includes(x))) {
      const sheet = newSheet(translate(locale, `enums.stage.${stage}`));
      for await (const batch of projectBatches(db, actor, { ...filters, stage: [stage] })) {
        for (const r of batch) addProjectRow(sheet, cols, r, locale);
        n += batch.length;
        await drain();
      }
      sheet.commit();
    }
  } else {
    const sheet = newSheet(t("projects"));
    for await (const batch of projectBatches(db, actor, filters)) {
      for (const r of batch) addProjectRow(sheet, cols, r, locale);
      n += batch.length;
      await drain();
    }
    sheet.commit();
  }
  await wb.commit();
  return n;
}
