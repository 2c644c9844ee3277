// The pipeline as it stands now for a unit subtree: projects per stage and status, conversion
// between stages, median days per stage, and the lists a leader looks at (stale, major, signed
// but not funded). Computed in SQL on live projects in scope: the pipeline is always "now"; the
// monthly funds chart follows the headline's definitions, as of a moment too.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { investors, projects, stageEvents, units } from "@/db/schema";
import { STAGES, STATUSES, type TStage, type TStatus } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { pctOf } from "@/lib/money";
import type { TActor } from "@/server/auth/actor";
import { getSettings } from "@/server/settings/settings";
import { getUnit } from "@/server/units/units";
import { isMajorSql, isStaleSql, isUnfundedSql } from "@/server/projects/project-scope";
import { toMoment, trancheStates, type TMoment } from "./as-of";
import { scopeCtes } from "./headline";

const inSubtree = (path: string) =>
  sql`${projects.deletedAt} is null and ${projects.unitId} in (select ${units.id} from ${units} where ${units.path} like ${`${path}%`})`;

export async function computePipeline(db: Db, actor: Pick<TActor, "unitPath">, input: { unit: string }, today = todayCN()) {
  const root = await getUnit(db, actor, input.unit);
  const scope = inSubtree(root.path);
  const settings = await getSettings(db);

  const counts = await queryRows<{ stage: TStage; status: TStatus; n: number }>(
    db,
    sql`select ${projects.stage} as stage, ${projects.status} as status, count(*)::int as n from ${projects} where ${scope} group by 1, 2`,
  );
  const byStage = STAGES.map((stage) => ({
    stage,
    total: counts.filter((c) => c.stage === stage).reduce((s, c) => s + c.n, 0),
    ...Object.fromEntries(STATUSES.map((st) => [st, counts.find((c) => c.stage === stage && c.status === st)?.n ?? 0])),
  })) as Array<{ stage: TStage; total: number } & Record<TStatus, number>>;

  // one pass over the stage events: per project the first date it entered each stage; a project
  // "reached" a stage if it ever entered it or a later one, and the days from entering a stage to
  // entering any later one give the median time in that stage
  const [f] = await queryRows<Record<string, number | string | null>>(
    db,
    sql`with per as (
        select e.project_id,
          min(e.business_date) filter (where e.to_stage = 'contact') as c,
          min(e.business_date) filter (where e.to_stage = 'negotiation') as n,
          min(e.business_date) filter (where e.to_stage = 'signed') as s,
          min(e.business_date) filter (where e.to_stage = 'funds') as f
        from ${stageEvents} e join ${projects} on ${projects.id} = e.project_id where ${scope}
        group by e.project_id
      )
      select count(*)::int as r1,
        count(*) filter (where coalesce(n, s, f) is not null)::int as r2,
        count(*) filter (where coalesce(s, f) is not null)::int as r3,
        count(*) filter (where f is not null)::int as r4,
        (percentile_cont(0.5) within group (order by least(n, s, f) - c) filter (where c is not null and least(n, s, f) is not null))::numeric(10,1)::text as d_contact,
        (percentile_cont(0.5) within group (order by least(s, f) - n) filter (where n is not null and least(s, f) is not null))::numeric(10,1)::text as d_negotiation,
        (percentile_cont(0.5) within group (order by f - s) filter (where s is not null and f is not null))::numeric(10,1)::text as d_signed
      from per`,
  );
  const reached = [Number(f?.r1 ?? 0), Number(f?.r2 ?? 0), Number(f?.r3 ?? 0), Number(f?.r4 ?? 0)];
  const durations = [
    { stage: "contact", median: (f?.d_contact as string | null) ?? null },
    { stage: "negotiation", median: (f?.d_negotiation as string | null) ?? null },
    { stage: "signed", median: (f?.d_signed as string | null) ?? null },
  ];
  const funnel = STAGES.map((stage, i) => ({
    stage,
    reached: reached[i]!,
    conversionPct: i === 0 ? null : pctOf(reached[i]!, reached[i - 1]!),
    medianDaysToNext: i === STAGES.length - 1 ? null : (durations.find((d) => d.stage === stage)?.median ?? null),
  }));

  const stale = isStaleSql(settings.staleDays, today);
  const major = isMajorSql(settings);
  const unfunded = isUnfundedSql();

  const list = (where: ReturnType<typeof sql>, order: ReturnType<typeof sql>, limit = 8) =>
    queryRows<{
      id: string; code: string; name: string; unit_name: string; investor_name: string; capital_type: "domestic" | "foreign";
      stage: TStage; status: TStatus; planned_amount: string; signed_amount: string | null; signed_on: string | null;
      stage_since: string; last_activity_on: string | null;
    }>(
      db,
      sql`select ${projects.id} as id, ${projects.code} as code, ${projects.name} as name, ${units.name} as unit_name, ${investors.name} as investor_name,
          ${projects.capitalType} as capital_type, ${projects.stage} as stage, ${projects.status} as status,
          ${projects.plannedAmount}::text as planned_amount, ${projects.signedAmount}::text as signed_amount, ${projects.signedOn} as signed_on,
          ${projects.stageSince} as stage_since, ${projects.lastActivityOn} as last_activity_on
        from ${projects} join ${units} on ${units.id} = ${projects.unitId} join ${investors} on ${investors.id} = ${projects.investorId}
        where ${scope} and ${where} order by ${order} limit ${limit}`,
    );
  const countOf = async (where: ReturnType<typeof sql>) =>
    (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${projects} where ${scope} and ${where}`))[0]?.n ?? 0;

  const [staleList, staleCount, majorList, majorCount, unfundedList, unfundedCount] = await Promise.all([
    list(stale, sql`coalesce(${projects.lastActivityOn}, ${projects.stageSince}) asc`),
    countOf(stale),
    list(sql`${major} and ${projects.status} <> 'lost'`, sql`${projects.plannedAmount} desc`),
    countOf(sql`${major} and ${projects.status} <> 'lost'`),
    list(unfunded, sql`${projects.signedOn} asc`),
    countOf(unfunded),
  ]);
  return {
    unit: { code: root.code, name: root.name },
    byStage,
    funnel,
    staleDays: settings.staleDays,
    stale: { count: staleCount, rows: staleList },
    major: { count: majorCount, rows: majorList },
    unfunded: { count: unfundedCount, rows: unfundedList },
  };
}
export type TPipeline = Awaited<ReturnType<typeof computePipeline>>;

/** Verified funds per month of the year and the year before, by capital type (as of a moment: like the headline). */
export async function computeMonthlyFunds(db: Db, actor: Pick<TActor, "unitPath">, input: { unit: string; year: number; asOf?: Date | TMoment | null }) {
  const root = await getUnit(db, actor, input.unit);
  const asOf = toMoment(input.asOf);
  const rows = await queryRows<{ y: number; m: number; capital_type: "domestic" | "foreign"; amount: string }>(
    db,
    sql`with ${scopeCtes(root.id, asOf)}, ts as (${trancheStates(asOf)})
      select extract(year from t.arrived_on)::int as y, extract(month from t.arrived_on)::int as m, pa.capital_type, sum(t.amount)::text as amount
      from ts t join pa on pa.id = t.project_id join su on su.unit_id = pa.unit_id
      where t.verified and t.arrived_on between ${`${input.year - 1}-01-01`} and ${`${input.year}-12-31`}
      group by 1, 2, 3`,
  );
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const series = (capital: "domestic" | "foreign") =>
    months.map((m) => ({
      month: m,
      current: rows.find((r) => r.y === input.year && r.m === m && r.capital_type === capital)?.amount ?? "0",
      previous: rows.find((r) => r.y === input.year - 1 && r.m === m && r.capital_type === capital)?.amount ?? "0",
    }));
  return { year: input.year, domestic: series("domestic"), foreign: series("foreign") };
}
