// Project rows for exports, read in keyset batches (a cursor with backpressure: the next batch is
// read only when the writer asks for it), with the list's filters and the user's scope applied.
import { aliasedTable, and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { investors, projects, stageEvents, tranches, units, users } from "@/db/schema";
import type { TCurrency } from "@/lib/domain";
import { dec } from "@/lib/money";
import { COUNTRIES, PROVINCES } from "@/lib/regions";
import type { TActor } from "@/server/auth/actor";
import { translate, type TLocale } from "@/server/lib/i18n";
import { uuidArray } from "@/server/lib/sql";
import { projectFilterWhere, ZProjectFilters, type TProjectFilters } from "@/server/projects/find-projects";
import { getSettings } from "@/server/settings/settings";
import { isMajorSql } from "@/server/projects/project-scope";
import { COLUMNS } from "@/server/imports/columns";
import type { TCell } from "./cells";

const owners = aliasedTable(users, "owners");

export async function* projectBatches(db: Db, actor: Pick<TActor, "unitPath">, filters: TProjectFilters, batchSize = 5000) {
  const f = ZProjectFilters.parse(filters);
  const where = await projectFilterWhere(db, actor, f);
  const settings = await getSettings(db);
  let after = "";
  for (;;) {
    const rows = await db
      .select({
        code: projects.code,
        name: projects.name,
        capitalType: projects.capitalType,
        unitName: units.name,
        investorName: investors.name,
        originRegion: investors.originRegion,
        originCountry: investors.originCountry,
        creditCode: investors.creditCode,
        industry: projects.industry,
        sourceChannel: projects.sourceChannel,
        plannedAmount: projects.plannedAmount,
        stage: projects.stage,
        status: projects.status,
        statusReason: projects.statusReason,
        id: projects.id,
        signedOn: projects.signedOn,
        signedAmount: projects.signedAmount,
        ownerEmail: owners.email,
        notes: projects.notes,
        isMajor: isMajorSql(settings),
        stageSince: projects.stageSince,
      })
      .from(projects)
      .innerJoin(investors, eq(investors.id, projects.investorId))
      .innerJoin(units, eq(units.id, projects.unitId))
      .leftJoin(owners, eq(owners.id, projects.ownerId))
      .where(and(where, after ? gt(projects.code, after) : undefined))
      .orderBy(asc(projects.code))
      .limit(batchSize);
    if (!rows.length) return;
    // per batch, one aggregate each for the event dates and the verified funds (not one per row);
    // the ids travel as one array parameter, not thousands of parameters
    const ids = rows.map((r) => r.id);
    const [dates, funds] = await Promise.all([
      db
        .select({
          projectId: stageEvents.projectId,
          contact: sql<string>`min(${stageEvents.businessDate})::text`,
          negotiation: sql<string | null>`(min(${stageEvents.businessDate}) filter (where ${stageEvents.toStage} = 'negotiation'))::text`,
        })
        .from(stageEvents)
        .where(sql`${stageEvents.projectId} = any(${uuidArray(ids)})`)
        .groupBy(stageEvents.projectId),
      db
        .select({ projectId: tranches.projectId, sum: sql<string>`sum(${tranches.amount})::text` })
        .from(tranches)
        .where(and(sql`${tranches.projectId} = any(${uuidArray(ids)})`, eq(tranches.status, "verified")))
        .groupBy(tranches.projectId),
    ]);
    const dateOf = new Map(dates.map((d) => [d.projectId, d]));
    const fundsOf = new Map(funds.map((f) => [f.projectId, f.sum]));
    yield rows.map((r) => ({
      ...r,
      contactDate: dateOf.get(r.id)?.contact ?? null,
      negotiationDate: dateOf.get(r.id)?.negotiation ?? null,
      verifiedFunds: fundsOf.get(r.id) ?? "0",
    }));
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.code;
  }
}
export type TProjectExportRow = Awaited<ReturnType<typeof projectBatches> extends AsyncGenerator<infer B> ? B : never>[number];

/** The export's columns: the import file's columns (so an export imports back), then a few extra. */
export function projectExportColumns(locale: TLocale, cities: Map<string, string>, money: "wan" | "base") {
  const alias = (key: string) => {
    const c = COLUMNS.projects.find((x) => x.key === key)!;
    return locale === "en" ? c.aliases[c.aliases.length - 1]! : c.aliases[0]!;
  };
  const e = (ns: string, v: string) => translate(locale, `enums.${ns}.${v}`);
  const originName = (r: TProjectExportRow) => {
    if (r.originCountry) {
      const c = COUNTRIES.find((x) => x.code === r.originCountry);
      return c ? (locale === "en" ? c.en : c.zh) : r.originCountry;
    }
    if (!r.originRegion) return "";
    const p = PROVINCES.find((x) => x.code === r.originRegion);
    return p ? (locale === "en" ? p.en : p.zh) : (cities.get(r.originRegion) ?? r.originRegion);
  };
  // XLSX: amounts in 万 of the row's currency; CSV: exact yuan/dollars
  const wan = money === "wan" ? translate(locale, "exports.wanSuffix") : "";
  type TCol = { header: string; kind: "text" | "money" | "date"; value: (r: TProjectExportRow) => TCell };
  const cols: TCol[] = [
    { header: alias("code"), kind: "text", value: (r) => r.code },
    { header: alias("name"), kind: "text", value: (r) => r.name },
    { header: alias("capital_type"), kind: "text", value: (r) => e("capitalType", r.capitalType) },
    { header: alias("unit"), kind: "text", value: (r) => r.unitName },
    { header: alias("investor"), kind: "text", value: (r) => r.investorName },
    { header: alias("investor_origin"), kind: "text", value: originName },
    { header: alias("credit_code"), kind: "text", value: (r) => r.creditCode },
    { header: alias("industry"), kind: "text", value: (r) => e("industry", r.industry) },
    { header: alias("source_channel"), kind: "text", value: (r) => e("sourceChannel", r.sourceChannel) },
    { header: `${alias("planned_amount")}${wan}`, kind: "money", value: (r) => r.plannedAmount },
    { header: alias("stage"), kind: "text", value: (r) => e("stage", r.stage) },
    { header: alias("status"), kind: "text", value: (r) => e("status", r.status) },
    { header: alias("status_reason"), kind: "text", value: (r) => r.statusReason },
    { header: alias("contact_date"), kind: "date", value: (r) => r.contactDate },
    { header: alias("negotiation_date"), kind: "date", value: (r) => r.negotiationDate },
    { header: alias("signed_date"), kind: "date", value: (r) => r.signedOn },
    { header: `${alias("signed_amount")}${wan}`, kind: "money", value: (r) => r.signedAmount },
    { header: alias("owner_email"), kind: "text", value: (r) => r.ownerEmail },
    { header: alias("notes"), kind: "text", value: (r) => r.notes },
    { header: translate(locale, "project.major"), kind: "text", value: (r) => translate(locale, r.isMajor ? "common.yes" : "common.no") },
    { header: `${translate(locale, "exports.verifiedFunds")}${wan}`, kind: "money", value: (r) => r.verifiedFunds },
  ];
  return cols;
}

export const currencyOfRow = (r: TProjectExportRow): TCurrency => (r.capitalType === "foreign" ? "USD" : "CNY");
/** Yuan/dollars → 万 as a number for a spreadsheet cell (exact to 6 decimals of 万). */
export const wanNumber = (v: string | null) => (v === null ? null : dec(v).div(10_000).toNumber());
