// 招商引资主要指标: the headline figures of a period for a unit subtree, computed in SQL from
// verified tranches on `numeric` — the one implementation behind the dashboard, the CLI, the
// exports, publishing and the tests. Definitions: ../shared/SPEC.md, "Headline figures".
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { auditLog, projects, stageEvents, targets, tranches, units } from "@/db/schema";
import type { TTargetMetric } from "@/lib/domain";
import { dec, pctChange, pctOf } from "@/lib/money";
import { previousYear, yearElapsed, yearToEnd, type TPeriod } from "@/lib/periods";
import type { TActor } from "@/server/auth/actor";
import { ts } from "@/server/lib/sql";
import { getUnit, type TUnit } from "@/server/units/units";

/** Bumped whenever a definition changes; stored with every published figure. */
export const DEFINITION_VERSION = "2026.11-1";

export type TFigureBlock = {
  currency: "CNY" | "USD";
  projects: number;
  funds: string;
  projects_yoy_pct: string | null;
  funds_yoy_pct: string | null;
  target: string | null;
  target_progress_pct: string | null;
  // beside the spec's fields: what the dashboard also shows
  prev_projects: number;
  prev_funds: string;
  ytd_funds: string;
  ahead_pct: string | null;
};
export type TSignedBlock = {
  projects: number;
  domestic_projects: number;
  domestic_amount: string;
  foreign_projects: number;
  foreign_amount: string;
  target: string | null;
  target_progress_pct: string | null;
  /** 资金到位率: verified funds to date of these projects / their signed amount, per currency */
  domestic_funds_rate_pct: string | null;
  foreign_funds_rate_pct: string | null;
};
export type TPendingBlock = { tranches: number; domestic_amount: string; foreign_amount: string };
export type TUnitFigures = {
  unit: string;
  name: string;
  domestic: TFigureBlock;
  foreign: TFigureBlock;
  out_of_province: TFigureBlock;
  signed: TSignedBlock;
  pending: TPendingBlock;
};
export type THeadline = TUnitFigures & {
  from: string;
  to: string;
  as_of: string | null;
  schedule_pct: string;
  definition_version: string;
  children: TUnitFigures[];
};

export type THeadlineInput = { unit: string; from: string; to: string; asOf?: Date | null };

type TAgg = Record<"dom" | "for" | "oop", { cur_p: number; cur_f: string; prev_p: number; prev_f: string; ytd_f: string }>;

/** The units of the subtree, each tagged with the child of the root it rolls up to ('' = the root itself). */
function bucketedUnits(root: TUnit): SQL {
  return sql`select ${units.id} as unit_id,
      case when ${units.path} = ${root.path} then '' else split_part(substr(${units.path}, ${root.path.length + 1}), '/', 1) end as bucket
    from ${units} where ${units.path} like ${`${root.path}%`}`;
}

/**
 * A project's unit, capital type, origin class and deletion as they were at `asOf`. Every change
 * of a project is audited with its full row before and after, so a project changed since the
 * moment was, at the moment, what the `before` of its first later audit entry says; a project
 * not changed since is as it is now. Without `asOf`: the rows as they are.
 */
function projectAttributes(asOf: Date | null): SQL {
  if (!asOf)
    return sql`select ${projects.id} as id, ${projects.unitId} as unit_id, ${projects.capitalType}::text as capital_type,
      ${projects.originClass}::text as origin_class from ${projects} where ${projects.deletedAt} is null`;
  return sql`select p.id, coalesce((c.snap->>'unitId')::uuid, p.unit_id) as unit_id,
      coalesce(c.snap->>'capitalType', p.capital_type::text) as capital_type,
      coalesce(c.snap->>'originClass', p.origin_class::text) as origin_class
    from ${projects} p
    left join (
      select distinct on (a.entity_id) a.entity_id, a.before as snap from ${auditLog} a
      where a.entity_type = 'project' and a.at > ${ts(asOf)} and a.before ? 'unitId'
      order by a.entity_id, a.seq
    ) c on c.entity_id = p.id::text
    where case when c.snap is null then p.deleted_at is null or p.deleted_at > ${ts(asOf)} else c.snap->>'deletedAt' is null end`;
}

/** Verified tranches (as of a moment: recorded and verified by then). */
function verifiedTranche(asOf: Date | null, alias = "t"): SQL {
  const t = sql.raw(alias);
  return asOf
    ? sql`${t}.status = 'verified' and ${t}.reported_at <= ${ts(asOf)} and ${t}.verified_at <= ${ts(asOf)}`
    : sql`${t}.status = 'verified'`;
}

async function aggregateFunds(db: Db, root: TUnit, p: TPeriod, asOf: Date | null) {
  const prev = previousYear(p);
  const ytd = yearToEnd(p);
  const lo = [p.from, prev.from, ytd.from].sort()[0]!;
  const hi = [p.to, prev.to, ytd.to].sort().at(-1)!;
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`with su as (${bucketedUnits(root)}),
      pa as (${projectAttributes(asOf)}),
      x as (
        select su.bucket, t.project_id, pa.capital_type, pa.origin_class, t.amount,
          t.arrived_on between ${p.from} and ${p.to} as cur,
          t.arrived_on between ${prev.from} and ${prev.to} as prev,
          t.arrived_on between ${ytd.from} and ${ytd.to} as ytd
        from ${tranches} t
        join pa on pa.id = t.project_id
        join su on su.unit_id = pa.unit_id
        where ${verifiedTranche(asOf)} and t.arrived_on between ${lo} and ${hi}
      )
      select bucket,
        ${sql.raw(
          [
            ["dom", "capital_type = 'domestic'"],
            ["for", "capital_type = 'foreign'"],
            ["oop", "capital_type = 'domestic' and origin_class = 'out_of_province'"],
          ]
            .map(([k, cond]) =>
              [
                `count(distinct project_id) filter (where cur and ${cond}) as ${k}_cur_p`,
                `coalesce(sum(amount) filter (where cur and ${cond}), 0)::text as ${k}_cur_f`,
                `count(distinct project_id) filter (where prev and ${cond}) as ${k}_prev_p`,
                `coalesce(sum(amount) filter (where prev and ${cond}), 0)::text as ${k}_prev_f`,
                `coalesce(sum(amount) filter (where ytd and ${cond}), 0)::text as ${k}_ytd_f`,
              ].join(", "),
            )
            .join(", "),
        )}
      from x group by bucket`,
  );
  const byBucket = new Map<string, TAgg>();
  for (const r of rows) {
    const agg = {} as TAgg;
    for (const k of ["dom", "for", "oop"] as const)
      agg[k] = {
        cur_p: Number(r[`${k}_cur_p`]),
        cur_f: String(r[`${k}_cur_f`]),
        prev_p: Number(r[`${k}_prev_p`]),
        prev_f: String(r[`${k}_prev_f`]),
        ytd_f: String(r[`${k}_ytd_f`]),
      };
    byBucket.set(String(r.bucket), agg);
  }
  return byBucket;
}

async function aggregateSigned(db: Db, root: TUnit, p: TPeriod, asOf: Date | null) {
  // a signing counts when its signing date falls in P and, as of the moment, it was not undone
  const entersSigned = sql.raw(`e.to_stage = 'signed' and (e.from_stage is null or e.from_stage in ('contact', 'negotiation'))`);
  const signings = asOf
    ? sql`select e.project_id, e.business_date as signed_on, e.signed_amount
        from ${stageEvents} e
        where ${entersSigned} and e.recorded_at <= ${ts(asOf)} and e.business_date between ${p.from} and ${p.to}
          and not exists (select 1 from ${stageEvents} l where l.project_id = e.project_id and l.to_stage = 'signed'
            and (l.from_stage is null or l.from_stage in ('contact', 'negotiation')) and l.recorded_at <= ${ts(asOf)}
            and (l.recorded_at, l.id) > (e.recorded_at, e.id))`
    : sql`select ${projects.id} as project_id, ${projects.signedOn} as signed_on, ${projects.signedAmount} as signed_amount
        from ${projects} where ${projects.signedOn} between ${p.from} and ${p.to}`;
  const stillSigned = asOf
    ? sql`and (select l.to_stage from ${stageEvents} l where l.project_id = s.project_id and l.recorded_at <= ${ts(asOf)}
          order by l.recorded_at desc, l.id desc limit 1) in ('signed', 'funds')`
    : sql``;
  // 资金到位率: the verified funds to date (as of the moment) of the projects signed in P
  const fundsToDate = sql`(select coalesce(sum(t.amount), 0) from ${tranches} t where t.project_id = s.project_id and ${verifiedTranche(asOf)})`;
  const rows = await queryRows<{ bucket: string; capital_type: string; n: number; amount: string; funds: string }>(
    db,
    sql`with su as (${bucketedUnits(root)}), s as (${signings}),
      pa as (${projectAttributes(asOf)})
      select su.bucket, pa.capital_type, count(*)::int as n, coalesce(sum(s.signed_amount), 0)::text as amount,
        coalesce(sum(${fundsToDate}), 0)::text as funds
      from s join pa on pa.id = s.project_id join su on su.unit_id = pa.unit_id
      where s.signed_on between ${p.from} and ${p.to} ${stillSigned}
      group by 1, 2`,
  );
  return rows;
}

async function aggregatePending(db: Db, root: TUnit, p: TPeriod, asOf: Date | null) {
  const waiting = asOf ? sql`t.reported_at <= ${ts(asOf)} and (t.verified_at is null or t.verified_at > ${ts(asOf)})` : sql`t.status = 'pending'`;
  return queryRows<{ bucket: string; capital_type: string; n: number; amount: string }>(
    db,
    sql`with su as (${bucketedUnits(root)}),
      pa as (${projectAttributes(asOf)})
      select su.bucket, pa.capital_type, count(*)::int as n, coalesce(sum(t.amount), 0)::text as amount
      from ${tranches} t join pa on pa.id = t.project_id join su on su.unit_id = pa.unit_id
      where ${waiting} and t.arrived_on between ${p.from} and ${p.to}
      group by 1, 2`,
  );
}

/** Annual targets of the root and its children for a year (as they stood at `asOf`). */
async function loadTargets(db: Db, unitIds: string[], year: number, asOf: Date | null) {
  if (!unitIds.length) return new Map<string, string>();
  const rows = await queryRows<{ id: string; unit_id: string; metric: TTargetMetric; value: string; snap: { value?: string } | null; created_later: boolean }>(
    db,
    sql`select t.id, t.unit_id, t.metric, t.value::text as value,
        ${
          asOf
            ? sql`coalesce(
              (select a.after from ${auditLog} a where a.entity_type = 'target' and a.entity_id = t.id::text and a.at <= ${ts(asOf)} order by a.seq desc limit 1),
              (select a.before from ${auditLog} a where a.entity_type = 'target' and a.entity_id = t.id::text and a.at > ${ts(asOf)} order by a.seq asc limit 1)
            )`
            : sql`null::jsonb`
        } as snap,
        ${
          asOf
            ? sql`exists (select 1 from ${auditLog} a where a.entity_type = 'target' and a.entity_id = t.id::text and a.at > ${ts(asOf)} and a.before is null)`
            : sql`false`
        } as created_later
      from ${targets} t where t.year = ${year} and t.unit_id in (${sql.join(unitIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  const out = new Map<string, string>();
  for (const r of rows) {
    if (r.created_later && !r.snap?.value) continue; // set after the moment: there was no target then
    const value = asOf && r.snap?.value ? r.snap.value : r.value;
    out.set(`${r.unit_id}:${r.metric}`, dec(value).toFixed(2));
  }
  return out;
}

const ZERO_AGG = { cur_p: 0, cur_f: "0", prev_p: 0, prev_f: "0", ytd_f: "0" };

function sumAggs(aggs: TAgg[]): TAgg {
  const out = { dom: { ...ZERO_AGG }, for: { ...ZERO_AGG }, oop: { ...ZERO_AGG } } as TAgg;
  for (const a of aggs)
    for (const k of ["dom", "for", "oop"] as const) {
      // each project belongs to one unit, hence to one bucket: distinct counts add up
      out[k].cur_p += a[k].cur_p;
      out[k].prev_p += a[k].prev_p;
      out[k].cur_f = dec(out[k].cur_f).plus(a[k].cur_f).toFixed(2);
      out[k].prev_f = dec(out[k].prev_f).plus(a[k].prev_f).toFixed(2);
      out[k].ytd_f = dec(out[k].ytd_f).plus(a[k].ytd_f).toFixed(2);
    }
  return out;
}

function block(a: TAgg["dom"], currency: "CNY" | "USD", target: string | undefined, schedule: ReturnType<typeof dec>): TFigureBlock {
  const progress = target && !dec(target).isZero() ? dec(a.ytd_f).div(target).times(100) : null;
  return {
    currency,
    projects: a.cur_p,
    funds: dec(a.cur_f).toFixed(2),
    projects_yoy_pct: pctChange(a.cur_p, a.prev_p),
    funds_yoy_pct: pctChange(a.cur_f, a.prev_f),
    target: target ?? null,
    target_progress_pct: target ? pctOf(a.ytd_f, target) : null,
    prev_projects: a.prev_p,
    prev_funds: dec(a.prev_f).toFixed(2),
    ytd_funds: dec(a.ytd_f).toFixed(2),
    ahead_pct: progress ? progress.minus(schedule).toDecimalPlaces(1).toFixed(1) : null,
  };
}

/** The headline figures of `input.unit` (which must be in the actor's scope) and its children. */
export async function computeHeadline(db: Db, actor: Pick<TActor, "unitPath">, input: THeadlineInput): Promise<THeadline> {
  const root = await getUnit(db, actor, input.unit);
  const period = { from: input.from, to: input.to };
  const asOf = input.asOf ?? null;
  const year = Number(period.to.slice(0, 4));
  const children = await db.select({ id: units.id, code: units.code, name: units.name }).from(units).where(sql`${units.parentId} = ${root.id}`).orderBy(units.code);

  const [funds, signed, pending, targetMap] = await Promise.all([
    aggregateFunds(db, root, period, asOf),
    aggregateSigned(db, root, period, asOf),
    aggregatePending(db, root, period, asOf),
    loadTargets(db, [root.id, ...children.map((c) => c.id)], year, asOf),
  ]);
  const el = yearElapsed(period);
  const schedule = dec(el.days).div(el.yearDays).times(100);

  const figuresFor = (unitId: string, code: string, name: string, buckets: string[]): TUnitFigures => {
    const agg = sumAggs(buckets.map((b) => funds.get(b)).filter((x): x is TAgg => !!x));
    const tgt = (m: TTargetMetric) => targetMap.get(`${unitId}:${m}`);
    const sig = signed.filter((r) => buckets.includes(r.bucket));
    const pend = pending.filter((r) => buckets.includes(r.bucket));
    type TAggRow = { capital_type: string; n: number; amount: string };
    const sumOf = (xs: TAggRow[], type: string) => xs.filter((r) => r.capital_type === type).reduce((s, r) => s.plus(r.amount), dec(0)).toFixed(2);
    const fundsOf = (xs: typeof signed, type: string) => xs.filter((r) => r.capital_type === type).reduce((acc, r) => acc.plus(r.funds), dec(0)).toFixed(2);
    const countOf = (xs: TAggRow[], type?: string) => xs.filter((r) => !type || r.capital_type === type).reduce((s, r) => s + Number(r.n), 0);
    const signedTarget = tgt("signed_projects");
    return {
      unit: code,
      name,
      domestic: block(agg.dom, "CNY", tgt("domestic_funds"), schedule),
      foreign: block(agg.for, "USD", tgt("foreign_funds"), schedule),
      out_of_province: block(agg.oop, "CNY", tgt("out_of_province_funds"), schedule),
      signed: {
        projects: countOf(sig),
        domestic_projects: countOf(sig, "domestic"),
        domestic_amount: sumOf(sig, "domestic"),
        foreign_projects: countOf(sig, "foreign"),
        foreign_amount: sumOf(sig, "foreign"),
        target: signedTarget ? dec(signedTarget).toFixed(0) : null,
        target_progress_pct: null, // set below from the year-to-date count
        domestic_funds_rate_pct: pctOf(fundsOf(sig, "domestic"), sumOf(sig, "domestic")),
        foreign_funds_rate_pct: pctOf(fundsOf(sig, "foreign"), sumOf(sig, "foreign")),
      },
      pending: { tranches: countOf(pend), domestic_amount: sumOf(pend, "domestic"), foreign_amount: sumOf(pend, "foreign") },
    };
  };

  const allBuckets = ["", ...children.map((c) => c.code)];
  const result: THeadline = {
    ...figuresFor(root.id, root.code, root.name, allBuckets),
    from: period.from,
    to: period.to,
    as_of: asOf ? asOf.toISOString() : null,
    schedule_pct: schedule.toDecimalPlaces(1).toFixed(1),
    definition_version: DEFINITION_VERSION,
    children: children.map((c) => figuresFor(c.id, c.code, c.name, [c.code])),
  };

  // signed-projects target progress counts signings from 1 January through P's end
  const ytdSigned = await aggregateSigned(db, root, yearToEnd(period), asOf);
  for (const f of [result, ...result.children]) {
    if (!f.signed.target) continue;
    const buckets = f === result ? allBuckets : [f.unit];
    const n = ytdSigned.filter((r) => buckets.includes(r.bucket)).reduce((s, r) => s + Number(r.n), 0);
    f.signed.target_progress_pct = pctOf(n, f.signed.target);
  }
  return result;
}

/** Exactly the object of the spec's `report headline --format json`. */
export function headlineJson(h: THeadline) {
  const b = (x: TFigureBlock) => ({
    currency: x.currency,
    projects: x.projects,
    funds: x.funds,
    projects_yoy_pct: x.projects_yoy_pct,
    funds_yoy_pct: x.funds_yoy_pct,
    target: x.target,
    target_progress_pct: x.target_progress_pct,
  });
  const s = (x: TSignedBlock) => ({ projects: x.projects, domestic_amount: x.domestic_amount, foreign_amount: x.foreign_amount });
  const unitFigures = (u: TUnitFigures) => ({
    unit: u.unit,
    name: u.name,
    domestic: b(u.domestic),
    foreign: b(u.foreign),
    out_of_province: b(u.out_of_province),
    signed: s(u.signed),
    pending: u.pending,
  });
  return {
    unit: h.unit,
    from: h.from,
    to: h.to,
    as_of: h.as_of,
    domestic: b(h.domestic),
    foreign: b(h.foreign),
    out_of_province: b(h.out_of_province),
    signed: s(h.signed),
    pending: h.pending,
    children: h.children.map(unitFigures),
  };
}
