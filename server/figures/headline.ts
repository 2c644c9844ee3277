// 招商引资主要指标: the headline figures of a period for a unit subtree, computed in SQL from
// verified tranches on `numeric` — the one implementation behind the dashboard, the CLI, the
// exports, publishing and the tests. Definitions: ../shared/SPEC.md, "Headline figures".
// Now and "as of" a moment run the same queries over the state builders of ./as-of.ts.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { targets } from "@/db/schema";
import type { TTargetMetric } from "@/lib/domain";
import { dec, pctChange, pctOf } from "@/lib/money";
import { previousYear, yearElapsed, yearToEnd, type TPeriod } from "@/lib/periods";
import type { TActor } from "@/server/auth/actor";
import { getUnit } from "@/server/units/units";
import { firstLaterSnapshot, projectAttributes, signings, toMoment, trancheStates, unitTree, type TMoment } from "./as-of";

/** Bumped whenever a definition changes; stored with every published figure. */
export const DEFINITION_VERSION = "2026.12-1";

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

export type THeadlineInput = { unit: string; from: string; to: string; asOf?: Date | TMoment | null };

type TAgg = Record<"dom" | "for" | "oop", { cur_p: number; cur_f: string; prev_p: number; prev_f: string; ytd_f: string }>;

/**
 * `ut`: the unit tree (as of the moment); `su`: the units of the root's subtree, each tagged with
 * the code of the child of the root it rolls up to ('' = the root itself); `pa`: the projects.
 */
export function scopeCtes(rootId: string, asOf: TMoment | null): SQL {
  return sql`ut as (${unitTree(asOf)}),
    r as (select id, path from ut where id = ${rootId}::uuid),
    su as (
      select ut.id as unit_id, case when ut.id = r.id then '' else split_part(substr(ut.path, length(r.path) + 1), '/', 1) end as bucket
      from ut join r on left(ut.path, length(r.path)) = r.path
    ),
    pa as (${projectAttributes(asOf)})`;
}

/** The root (code and name as they were) and its children in the unit tree of the moment. */
export async function subtreeOf(db: Db, rootId: string, asOf: TMoment | null) {
  return queryRows<{ id: string; code: string; name: string; parent_id: string | null; path: string }>(
    db,
    sql`with ut as (${unitTree(asOf)}) select id, code, name, parent_id, path from ut where id = ${rootId}::uuid or parent_id = ${rootId}::uuid order by code`,
  );
}

async function aggregateFunds(db: Db, rootId: string, p: TPeriod, asOf: TMoment | null) {
  const prev = previousYear(p);
  const ytd = yearToEnd(p);
  const lo = [p.from, prev.from, ytd.from].sort()[0]!;
  const hi = [p.to, prev.to, ytd.to].sort().at(-1)!;
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`with ${scopeCtes(rootId, asOf)},
      ts as (${trancheStates(asOf)}),
      x as (
        select su.bucket, t.project_id, pa.capital_type, pa.origin_class, t.amount,
          t.arrived_on between ${p.from} and ${p.to} as cur,
          t.arrived_on between ${prev.from} and ${prev.to} as prev,
          t.arrived_on between ${ytd.from} and ${ytd.to} as ytd
        from ts t
        join pa on pa.id = t.project_id
        join su on su.unit_id = pa.unit_id
        where t.verified and t.arrived_on between ${lo} and ${hi}
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

/** Signings in P (count, amount, verified funds to date) and from 1 January through P's end (count, for the target). */
async function aggregateSigned(db: Db, rootId: string, p: TPeriod, asOf: TMoment | null) {
  const ytd = yearToEnd(p);
  const lo = ytd.from < p.from ? ytd.from : p.from;
  return queryRows<{ bucket: string; capital_type: string; n: number; amount: string; funds: string; n_ytd: number }>(
    db,
    sql`with ${scopeCtes(rootId, asOf)},
      sp as (
        select s.project_id, s.signed_on, s.signed_amount, pa.capital_type, su.bucket, s.signed_on between ${p.from} and ${p.to} as cur
        from (${signings(asOf)}) s join pa on pa.id = s.project_id join su on su.unit_id = pa.unit_id
        where s.signed_on between ${lo} and ${p.to}
      ),
      ts as (${trancheStates(asOf)}),
      -- 资金到位率: the verified funds to date (as of the moment) of the projects signed in P
      sf as (
        select sp.*, case when sp.cur then (select coalesce(sum(t.amount), 0) from ts t where t.project_id = sp.project_id and t.verified) else 0 end as funds
        from sp
      )
      select bucket, capital_type,
        count(*) filter (where cur)::int as n,
        coalesce(sum(signed_amount) filter (where cur), 0)::text as amount,
        coalesce(sum(funds) filter (where cur), 0)::text as funds,
        count(*) filter (where signed_on between ${ytd.from} and ${ytd.to})::int as n_ytd
      from sf
      group by 1, 2`,
  );
}

async function aggregatePending(db: Db, rootId: string, p: TPeriod, asOf: TMoment | null) {
  return queryRows<{ bucket: string; capital_type: string; n: number; amount: string }>(
    db,
    sql`with ${scopeCtes(rootId, asOf)}, ts as (${trancheStates(asOf)})
      select su.bucket, pa.capital_type, count(*)::int as n, coalesce(sum(t.amount), 0)::text as amount
      from ts t join pa on pa.id = t.project_id join su on su.unit_id = pa.unit_id
      where t.pending and t.arrived_on between ${p.from} and ${p.to}
      group by 1, 2`,
  );
}

/**
 * Annual targets of the given units for a year, as they stood at `asOf`, keyed `unitId:metric`.
 * A target of 0 means "no target" (it is how one is cleared): it is left out, like a missing one.
 */
export async function loadTargets(db: Db, unitIds: string[], year: number, asOf: TMoment | null) {
  if (!unitIds.length) return new Map<string, { id: string; value: string }>();
  const inUnits = sql.join(unitIds.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = await queryRows<{ id: string; unit_id: string; metric: TTargetMetric; value: string | null }>(
    db,
    asOf
      ? sql`select t.id, t.unit_id, t.metric, case when c.entity_id is null then t.value::text else c.snap->>'value' end as value
          from ${targets} t left join (${firstLaterSnapshot("target", asOf)}) c on c.entity_id = t.id::text
          where t.year = ${year} and t.unit_id in (${inUnits})`
      : sql`select t.id, t.unit_id, t.metric, t.value::text as value from ${targets} t where t.year = ${year} and t.unit_id in (${inUnits})`,
  );
  const out = new Map<string, { id: string; value: string }>();
  for (const r of rows) if (r.value !== null && !dec(r.value).isZero()) out.set(`${r.unit_id}:${r.metric}`, { id: r.id, value: dec(r.value).toFixed(2) });
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

function block(a: TAgg["dom"], currency: "CNY" | "USD", target: string | null, schedule: ReturnType<typeof dec>): TFigureBlock {
  const progress = target ? dec(a.ytd_f).div(target).times(100) : null;
  return {
    currency,
    projects: a.cur_p,
    funds: dec(a.cur_f).toFixed(2),
    projects_yoy_pct: pctChange(a.cur_p, a.prev_p),
    funds_yoy_pct: pctChange(a.cur_f, a.prev_f),
    target,
    target_progress_pct: target ? pctOf(a.ytd_f, target) : null,
    prev_projects: a.prev_p,
    prev_funds: dec(a.prev_f).toFixed(2),
    ytd_funds: dec(a.ytd_f).toFixed(2),
    ahead_pct: progress ? progress.minus(schedule).toDecimalPlaces(1).toFixed(1) : null,
  };
}

/**
 * The headline figures of `input.unit` (which must be in the actor's scope) and its children.
 * As of a moment, the unit tree is the one of that moment: a unit moved since still counts
 * under the parent it had, and the children are the ones the unit had then.
 */
export async function computeHeadline(db: Db, actor: Pick<TActor, "unitPath">, input: THeadlineInput): Promise<THeadline> {
  const unit = await getUnit(db, actor, input.unit);
  const period = { from: input.from, to: input.to };
  const asOf = toMoment(input.asOf);
  const year = Number(period.to.slice(0, 4));
  const tree = await subtreeOf(db, unit.id, asOf);
  const root = tree.find((u) => u.id === unit.id) ?? { id: unit.id, code: unit.code, name: unit.name };
  const children = tree.filter((u) => u.parent_id === unit.id);

  const [funds, signed, pending, targetMap] = await Promise.all([
    aggregateFunds(db, unit.id, period, asOf),
    aggregateSigned(db, unit.id, period, asOf),
    aggregatePending(db, unit.id, period, asOf),
    loadTargets(db, [unit.id, ...children.map((c) => c.id)], year, asOf),
  ]);
  const el = yearElapsed(period);
  const schedule = dec(el.days).div(el.yearDays).times(100);

  const figuresFor = (unitId: string, code: string, name: string, inBucket: (b: string) => boolean): TUnitFigures => {
    const agg = sumAggs([...funds].filter(([b]) => inBucket(b)).map(([, a]) => a));
    const tgt = (m: TTargetMetric) => targetMap.get(`${unitId}:${m}`)?.value ?? null;
    const sig = signed.filter((r) => inBucket(r.bucket));
    const pend = pending.filter((r) => inBucket(r.bucket));
    const sumOf = <K extends "amount" | "funds">(xs: Array<Record<K, string> & { capital_type: string }>, key: K, type: string) =>
      xs.filter((r) => r.capital_type === type).reduce((s, r) => s.plus(r[key]), dec(0)).toFixed(2);
    const countOf = <K extends "n" | "n_ytd">(xs: Array<Record<K, number> & { capital_type: string }>, key: K, type?: string) =>
      xs.filter((r) => !type || r.capital_type === type).reduce((s, r) => s + Number(r[key]), 0);
    const signedTarget = tgt("signed_projects");
    return {
      unit: code,
      name,
      domestic: block(agg.dom, "CNY", tgt("domestic_funds"), schedule),
      foreign: block(agg.for, "USD", tgt("foreign_funds"), schedule),
      out_of_province: block(agg.oop, "CNY", tgt("out_of_province_funds"), schedule),
      signed: {
        projects: countOf(sig, "n"),
        domestic_projects: countOf(sig, "n", "domestic"),
        domestic_amount: sumOf(sig, "amount", "domestic"),
        foreign_projects: countOf(sig, "n", "foreign"),
        foreign_amount: sumOf(sig, "amount", "foreign"),
        target: signedTarget ? dec(signedTarget).toFixed(0) : null,
        // signed-projects target progress counts signings from 1 January through P's end
        target_progress_pct: signedTarget ? pctOf(countOf(sig, "n_ytd"), signedTarget) : null,
        domestic_funds_rate_pct: pctOf(sumOf(sig, "funds", "domestic"), sumOf(sig, "amount", "domestic")),
        foreign_funds_rate_pct: pctOf(sumOf(sig, "funds", "foreign"), sumOf(sig, "amount", "foreign")),
      },
      pending: { tranches: countOf(pend, "n"), domestic_amount: sumOf(pend, "amount", "domestic"), foreign_amount: sumOf(pend, "amount", "foreign") },
    };
  };

  return {
    ...figuresFor(root.id, root.code, root.name, () => true),
    from: period.from,
    to: period.to,
    as_of: asOf ? asOf.at : null,
    schedule_pct: schedule.toDecimalPlaces(1).toFixed(1),
    definition_version: DEFINITION_VERSION,
    children: children.map((c) => figuresFor(c.id, c.code, c.name, (b) => b === c.code)),
  };
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
