// The integrity rules (数据质量提示). Each rule is one SQL select over live projects, giving one row
// per flag and project in scope it is about, all in the same columns (TFlagMemberRow): the flags
// service (find-flags.ts) unions them, joins the reviews, and counts, pages or filters in SQL.
// Each row carries the raw facts of its flag as jsonb; finishDetail turns them into the typed,
// self-explaining detail with the pure helpers of lib/flags, only for the rows a page returns.
//
// Restriction. The context names the viewer's scope, a unit subtree inside it and optionally a set
// of projects. Rules about one project's own rows read only those projects; the two cross-unit
// rules read only the groups (evidence number, investor) that touch them — the project page and the
// board's badges never scan the installation. The whole scope or a unit is read through indexes
// that find the rows that can be flagged (migrations 0012, 0015), not row by row.
//
// Scope. Rules about one project's own rows (backdated, over_signed, skipped_stage, three_not) read
// only projects in the viewer's scope. Two rules compare rows across units (duplicate_evidence,
// repeat_signing): they must look at the whole installation — a Shenyang tranche whose bank slip
// number was already used in Dalian is exactly what they exist to catch — yet reveal nothing of
// the other city. Our choice: such a flag is shown when at least one of its rows is in scope; it
// lists only the rows in scope and says how many others exist ("2 more tranches outside your
// scope", the number of units) without naming their projects, units, amounts or ids. Columns of
// out-of-scope rows never leave the SQL (repeat signing: they are compared in TypeScript and
// dropped), and their ids enter the flag's key only as a digest. The key of a cross-scope flag
// therefore depends on what the viewer sees: a review made on the full picture (by the province) is
// not shown as the review of a city's partial view — its note may well name the other city's
// project — and the city's leader reviews their own part.
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { flagReviews, investors, periodLocks, projects, stageEvents, tranches, units, users } from "@/db/schema";
import { currencyOf, STAGES, type TCapitalType, type TCurrency, type TPeriodKind, type TStage, type TTrancheStatus } from "@/lib/domain";
import { flagKey, groupRepeatSignings, overSigned, threeNotItems, type TFlagRule, type TThreeNotItem } from "@/lib/flags";
import { skippedStages } from "@/lib/stage-rules";
import type { TSettings } from "@/server/settings/settings";
import { isThreeNotSql, threeNotColumns } from "./three-not";
import { isUuid, textArray, uuidArray } from "@/server/lib/sql";
export { isUuid, textArray, uuidArray };

export type TFlagDetails = {
  backdated: {
    trancheId: string;
    amount: string;
    currency: TCurrency;
    status: TTrancheStatus;
    arrivedOn: string;
    reportedAt: Date;
    /** China date of reportedAt */
    reportedOn: string;
    days: number;
    thresholdDays: number;
    /** recorded more than thresholdDays after arrival */
    late: boolean;
    /** recorded after the first lock of the arrival's period on its unit or an ancestor (reopened since or not) */
    lock: { kind: TPeriodKind; periodStart: string; periodEnd: string; lockedAt: Date; reopenedAt: Date | null } | null;
  };
  over_signed: {
    verified: string; signed: string; excess: string; pct: string; currency: TCurrency; trancheCount: number;
    /** the verified tranches behind it, by arrival */
    tranches: Array<{ id: string; arrivedOn: string; amount: string }>;
  };
  duplicate_evidence: {
    evidenceNo: string;
    /** tranches with this number, in scope or not */
    total: number;
    /** of which outside the viewer's scope (not listed) */
    outsideCount: number;
    tranches: Array<{ id: string; projectId: string; projectCode: string; projectName: string; unitName: string; amount: string; currency: TCurrency; arrivedOn: string; status: TTrancheStatus }>;
  };
  skipped_stage: { eventId: string; from: TStage; to: TStage; skipped: TStage[]; businessDate: string; recordedAt: Date; actorName: string | null };
  repeat_signing: {
    investorName: string;
    /** distinct units that signed it, in scope or not */
    unitCount: number;
    /** projects of the group outside the viewer's scope (not listed) */
    outsideCount: number;
    projects: Array<{ id: string; code: string; name: string; unitName: string; signedOn: string; signedAmount: string | null; currency: TCurrency }>;
  };
  three_not: { signedOn: string; days: number; thresholdDays: number; missing: TThreeNotItem[] };
};

type TFlagOf<R extends TFlagRule> = {
  key: string;
  rule: R;
  /** the project the flag is shown under (cross-project flags: the first in scope, or in the unit / project filtered on) */
  projectId: string;
  projectCode: string;
  projectName: string;
  unitName: string;
  /** every project in scope the flag is about */
  projectIds: string[];
  /** the business date the flag is about (arrival, event, signing) */
  on: string;
  /** ids of the rows behind it: tranches, stage events, or projects */
  rows: string[];
  detail: TFlagDetails[R];
};
export type TFlagCore = { [R in TFlagRule]: TFlagOf<R> }[TFlagRule];

export type TRuleContext = {
  db: Db;
  /** LIKE pattern of the viewer's scope */
  scopePattern: string;
  /** LIKE pattern of the unit subtree asked for (the scope, or a unit inside it) */
  unitPattern: string;
  /** only flags about these projects (uuids), or null for all */
  projectIds: readonly string[] | null;
  settings: TSettings;
  today: string;
  /**
   * Whether to build each flag's facts (detail, rows, projects). Counting and paging need only
   * the identity of each flag (its key may then be abbreviated: identityKey); the details are then
   * made for the page's flags alone.
   */
  withDetail: boolean;
};

/** Rules about one project's own rows: one row per flag. The others list a flag once per project in scope. */
export const SINGLE_PROJECT_RULES: readonly TFlagRule[] = ["backdated", "over_signed", "skipped_stage", "three_not"];

/**
 * What every rule selects, in this order: one row per flag and project in scope it is about
 * (`ord`: its place in the flag's list). `project_ids`, `row_ids` and `detail` are the flag's own
 * and repeat on each of its rows. The unit id and path serve the service and are never returned.
 */
export type TFlagMemberRow = {
  rule: TFlagRule; key: string; on_date: string; ord: number;
  project_id: string; project_code: string; project_name: string; unit_id: string; unit_name: string; unit_path: string;
  project_ids: string[]; row_ids: string[]; detail: unknown;
};
export const MEMBER_COLUMNS = sql.raw(`rule text, key text, on_date text, ord int, project_id text, project_code text, project_name text,
  unit_id text, unit_name text, unit_path text, project_ids jsonb, row_ids jsonb, detail jsonb`);

const STAGE_ARRAY = sql.raw(`array[${STAGES.map((s) => `'${s}'`).join(",")}]::text[]`);
/** A timestamptz as an ISO string: both drivers read it the same way. */
export const iso = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The China (UTC+8) calendar date of a timestamptz. */
const chinaDate = (expr: SQL) => sql`((${expr} at time zone 'UTC') + interval '8 hours')::date`;
const CURRENCY = sql`(case when p.capital_type = 'foreign' then 'USD' else 'CNY' end)`;

/** Digest of ids that a key stands for without naming them (sorted, comma-joined, sha256, 16 hex). */
export const digestIds = (ids: readonly string[]) => createHash("sha256").update([...ids].sort().join(",")).digest("hex").slice(0, 16);
/** The same digest in SQL, of ids already sorted and comma-joined. */
const digestSql = (joined: SQL) => sql`left(encode(sha256(convert_to(${joined}, 'UTF8')), 'hex'), 16)`;
/** Ids sorted as JavaScript sorts them (code units), comma-joined: the form keys are made of. */
const sortedIds = (id: SQL) => sql`string_agg(${id}::text, ',' order by ${id}::text collate "C")`;

/** Live projects `p` (units `pu`) of the unit subtree asked for, and of the projects asked for. */
function projectWhere(c: TRuleContext, p = "p", pu = "pu"): SQL {
  return sql`${sql.raw(p)}.deleted_at is null and ${sql.raw(pu)}.path like ${c.unitPattern}${c.projectIds ? sql` and ${sql.raw(p)}.id = any(${uuidArray(c.projectIds)})` : sql``}`;
}
/** Whether a cross-unit rule must narrow its groups to those touching the unit or projects asked for. */
const narrowed = (c: TRuleContext) => c.projectIds !== null || c.unitPattern !== c.scopePattern;

/** Facts built only when the context asks for details. */
const ifDetail = (c: TRuleContext, expr: SQL) => (c.withDetail ? expr : sql`null::jsonb`);

/** The columns of a rule about one project `p` (units `pu`). */
function single(c: TRuleContext, rule: TFlagRule, key: SQL, on: SQL, rowIds: SQL, detail: SQL): SQL {
  return sql`${sql.raw(`'${rule}'`)}::text as rule, ${key} as key, (${on})::text as on_date, 0 as ord,
    p.id::text as project_id, p.code as project_code, p.name as project_name, pu.id::text as unit_id, pu.name as unit_name, pu.path as unit_path,
    ${ifDetail(c, sql`jsonb_build_array(p.id::text)`)} as project_ids, ${ifDetail(c, rowIds)} as row_ids, ${ifDetail(c, detail)} as detail`;
}

/** An empty select in the rules' columns. */
export const NO_FLAGS = sql`select * from jsonb_to_recordset('[]'::jsonb) as x(${MEMBER_COLUMNS})`;

/** 突击上报/补报: recorded more than `backdateDays` after arrival, or after the first lock of the arrival's period. */
async function backdated(c: TRuleContext): Promise<SQL> {
  const reportedOn = chinaDate(sql`t.reported_at`);
  // the expression of the index tranches_report_days_idx (migration 0012), to the letter
  const days = sql`(${reportedOn} - t.arrived_on)`;
  const threshold = Number(c.settings.backdateDays);
  const late = sql`${days} > ${threshold}::int`;
  // The first lock of the arrival's period on the unit or an ancestor, reopened since or not: a
  // write into an active lock is refused, so a tranche recorded after the first lock got in while
  // it was reopened — that is what this catches. (Recorded after the first lock = after some lock.)
  const covering = sql`from ${periodLocks} l join ${units} lu on lu.id = l.unit_id
    where t.arrived_on between l.period_start and l.period_end and pu.path like lu.path || '%'`;
  const lockDetail = sql`(select jsonb_build_object('kind', l.kind::text, 'periodStart', l.period_start::text, 'periodEnd', l.period_end::text,
      'lockedAt', ${iso(sql`l.locked_at`)}, 'reopenedAt', ${iso(sql`l.reopened_at`)}) ${covering} and t.reported_at > l.locked_at order by l.locked_at, l.id limit 1)`;
  const cols = sql.raw("t.id, t.project_id, t.amount, t.status, t.arrived_on, t.reported_at");
  // Some projects: their tranches, each checked. The whole scope: only the tranches that can be
  // flagged, found by index (migration 0012) — the late ones, and the others recorded after the
  // earliest lock of their arrival day on any unit (one seek per locked day; `offset 0` keeps it a
  // seek) — then checked the same way. Without this, every tranche met every lock.
  const candidates = c.projectIds
    ? sql`${tranches}`
    : sql`(
        select ${cols} from ${tranches} t where ${late}
        union all
        select x.* from (
          select d::date as day, min(l.locked_at) as first_at
          from ${periodLocks} l cross join lateral generate_series(l.period_start::timestamp, l.period_end::timestamp, interval '1 day') d group by 1
        ) ld cross join lateral (
          select ${cols} from ${tranches} t
          where t.arrived_on = ld.day and t.reported_at > ld.first_at and t.status <> 'rejected' and ${days} <= ${threshold}::int offset 0
        ) x
      )`;
  return sql`select ${single(
    c,
    "backdated",
    sql`'backdated:' || t.id::text`,
    sql`t.arrived_on`,
    sql`jsonb_build_array(t.id::text)`,
    sql`jsonb_build_object('trancheId', t.id::text, 'amount', t.amount::text, 'currency', ${CURRENCY}, 'status', t.status::text,
      'arrivedOn', t.arrived_on::text, 'reportedAt', ${iso(sql`t.reported_at`)}, 'reportedOn', ${reportedOn}::text, 'days', ${days},
      'thresholdDays', ${threshold}::int, 'lock', ${lockDetail})`,
  )}
    from ${candidates} t
    join ${projects} p on p.id = t.project_id
    join ${units} pu on pu.id = p.unit_id
    where ${projectWhere(c)} and t.status <> 'rejected'
      and (${late} or exists (select 1 ${covering} and t.reported_at > l.locked_at))`;
}

/** Verified funds above the signed amount. The key changes when the verified tranches change. */
async function overSignedRule(c: TRuleContext): Promise<SQL> {
  const onlyProjects = c.projectIds ? sql` and project_id = any(${uuidArray(c.projectIds)})` : sql``;
  const prefix = sql`'over_signed:' || p.id::text || '+'`;
  const from = sql`from ${projects} p
    join ${units} pu on pu.id = p.unit_id
    join (
      select project_id, sum(amount) as total, count(*)::int as n from ${tranches} where status = 'verified'${onlyProjects} group by project_id
    ) v on v.project_id = p.id`;
  const where = sql`where ${projectWhere(c)} and p.signed_amount > 0 and v.total > p.signed_amount`;
  if (!c.withDetail) {
    // Without details, the key is abbreviated (identityKey) unless a review may be about it: the
    // ids behind the digest are read only for the projects over_signed reviews name, not for every
    // project above its signing (at scale, tens of thousands of index scans).
    const named = sql`select case when flag_key ~ '^over_signed:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[+]' then substr(flag_key, 13, 36)::uuid end
      from ${flagReviews} where starts_with(flag_key, 'over_signed:')`;
    return sql`select ${single(c, "over_signed", sql`${prefix} || coalesce(${digestSql(sql`rk.ids`)}, '')`, sql`coalesce(p.signed_on::text, '')`, sql`null`, sql`null`)}
      ${from}
      left join (
        select t.project_id, ${sortedIds(sql`t.id`)} as ids from ${tranches} t
        where t.status = 'verified' and t.project_id = any(array(${named})) group by t.project_id
      ) rk on rk.project_id = p.id
      ${where}`;
  }
  // the ids (for the key) only for the projects above their signing
  return sql`select ${single(
    c,
    "over_signed",
    sql`${prefix} || ${digestSql(sql`x.ids`)}`,
    sql`coalesce(p.signed_on::text, '')`,
    sql`x.row_ids`,
    sql`jsonb_build_object('verified', v.total::text, 'signed', p.signed_amount::text, 'currency', ${CURRENCY}, 'trancheCount', v.n, 'tranches', x.list)`,
  )}
    ${from}
    cross join lateral (
      select ${sortedIds(sql`t.id`)} as ids,
        jsonb_agg(t.id::text order by t.id::text collate "C") as row_ids,
        jsonb_agg(jsonb_build_object('id', t.id::text, 'arrivedOn', t.arrived_on::text, 'amount', t.amount::text) order by t.arrived_on, t.id) as list
      from ${tranches} t where t.project_id = p.id and t.status = 'verified'
    ) x
    ${where}`;
}

/**
 * The key a flag is known by when listed without details: its key, but for over_signed only up
 * to the digest ('over_signed:<project>+'), which orders the same (one flag per project).
 */
export const identityKey = (key: string) => (key.startsWith("over_signed:") ? key.slice(0, key.indexOf("+") + 1) : key);
/** identityKey in SQL, of a key column. */
export const identityKeySql = (key: SQL) => sql`(case when starts_with(${key}, 'over_signed:') then split_part(${key}, '+', 1) || '+' else ${key} end)`;

/**
 * The same evidence number (evidence_key) on two or more tranches of live projects; rejected
 * tranches are already dealt with and do not count. One flag per number, shown when one of its
 * tranches is in scope; its rows are the tranches in scope, in the order they were reported.
 */
async function duplicateEvidence(c: TRuleContext): Promise<SQL> {
  // evidence_key: the number trimmed, NFKC (full-width digits typed on a Chinese keyboard) and
  // lower case, kept by a trigger and indexed (migrations 0008, 0009). Some projects: the numbers
  // of their tranches. Otherwise (the scope, a unit: the caller keeps the flags touching it): the
  // numbers used twice at all, rejected or not (a superset, dropped below), from the index alone,
  // as one array made once — as a join, PostgreSQL guesses a third of all numbers for `having`,
  // plans (and JIT-compiles) for hundreds of thousands, and makes it again in each parallel worker.
  const from = c.projectIds
    ? sql`(select distinct t2.evidence_key from ${tranches} t2 join ${projects} p2 on p2.id = t2.project_id join ${units} pu2 on pu2.id = p2.unit_id
          where ${projectWhere(c, "p2", "pu2")} and t2.status <> 'rejected' and t2.evidence_key is not null) k
        join ${tranches} t on t.evidence_key = k.evidence_key`
    : sql`${tranches} t`;
  const keyWhere = c.projectIds
    ? sql``
    : sql`t.evidence_key = any(array(select evidence_key from ${tranches} where evidence_key is not null group by evidence_key having count(*) >= 2)) and `;
  return sql`with ev as (
      select t.id, t.project_id, t.amount, t.arrived_on, t.status, t.evidence_no, t.evidence_key as ev_key, ${CURRENCY} as currency,
        p.code, p.name, pu.id as unit_id, pu.name as unit_name, pu.path as unit_path, pu.path like ${c.scopePattern} as visible,
        row_number() over (partition by t.evidence_key order by t.reported_at, t.id)::int as ord
      from ${from} join ${projects} p on p.id = t.project_id join ${units} pu on pu.id = p.unit_id
      where ${keyWhere}p.deleted_at is null and t.status <> 'rejected'
    ), g as (
      select ev_key, count(*)::int as total, (count(*) filter (where not visible))::int as outside,
        ${sortedIds(sql`id`)} filter (where visible) as shown_ids, ${sortedIds(sql`id`)} filter (where not visible) as hidden_ids,
        max(arrived_on) filter (where visible) as on_date,
        jsonb_agg(id::text order by ord) filter (where visible) as row_ids,
        (array_agg(evidence_no order by ord) filter (where visible))[1] as evidence_no,
        ${ifDetail(c, sql`jsonb_agg(jsonb_build_object('id', id::text, 'projectId', project_id::text, 'projectCode', code, 'projectName', name, 'unitName', unit_name,
          'amount', amount::text, 'currency', currency, 'arrivedOn', arrived_on::text, 'status', status::text) order by ord) filter (where visible)`)} as tranches
      from ev group by ev_key having count(*) >= 2 and bool_or(visible)
    ), gp as (
      select ev_key, jsonb_agg(project_id order by first) as project_ids
      from (select ev_key, project_id::text as project_id, min(ord) as first from ev where visible group by 1, 2) x group by ev_key
    )
    select 'duplicate_evidence'::text as rule, 'duplicate_evidence:' || g.shown_ids || coalesce('+' || ${digestSql(sql`g.hidden_ids`)}, '') as key,
      g.on_date::text as on_date, ev.ord, ev.project_id::text as project_id, ev.code as project_code, ev.name as project_name,
      ev.unit_id::text as unit_id, ev.unit_name, ev.unit_path, gp.project_ids, g.row_ids,
      ${ifDetail(c, sql`jsonb_build_object('evidenceNo', g.evidence_no, 'total', g.total, 'outsideCount', g.outside, 'tranches', g.tranches)`)} as detail
    from g join ev on ev.ev_key = g.ev_key and ev.visible join gp on gp.ev_key = g.ev_key`;
}

/** A forward stage move that passed over a stage (contact → signed), from the stage events. */
async function skippedStage(c: TRuleContext): Promise<SQL> {
  return sql`select ${single(
    c,
    "skipped_stage",
    sql`'skipped_stage:' || e.id::text`,
    sql`e.business_date`,
    sql`jsonb_build_array(e.id::text)`,
    sql`jsonb_build_object('eventId', e.id::text, 'from', e.from_stage::text, 'to', e.to_stage::text, 'businessDate', e.business_date::text,
      'recordedAt', ${iso(sql`e.recorded_at`)}, 'actorName', a.name)`,
  )}
    from ${stageEvents} e
    join ${projects} p on p.id = e.project_id
    join ${units} pu on pu.id = p.unit_id
    left join ${users} a on a.id = e.actor_id
    where ${projectWhere(c)} and e.from_stage is not null
      and array_position(${STAGE_ARRAY}, e.from_stage::text) + 1 < array_position(${STAGE_ARRAY}, e.to_stage::text)`;
}

/**
 * 重复签约: signed (not lost) projects of the same investor — same normalised investor name, so two
 * investor records of one company count as one — whose names denote one project (lib/flags
 * isSameProject: similar, not only equal), in two or more units. SQL narrows to investors with
 * signings in two units (and touching what was asked for); the names are compared in TypeScript
 * and the flags go back into the query as one jsonb parameter.
 */
async function repeatSigning(c: TRuleContext): Promise<SQL> {
  const signedLive = (p: string) => sql.raw(`${p}.deleted_at is null and ${p}.signed_on is not null and ${p}.status <> 'lost'`);
  const touching = narrowed(c)
    ? sql`and i2.name_normalized in (
        select i3.name_normalized from ${projects} p3 join ${investors} i3 on i3.id = p3.investor_id join ${units} pu3 on pu3.id = p3.unit_id
        where ${projectWhere(c, "p3", "pu3")} and ${signedLive("p3")})`
    : sql``;
  // 1. the names to compare: signings of investors that signed in two units or more
  const candidates = await queryRows<{ id: string; name: string; inv_key: string; unit_id: string; visible: boolean }>(
    c.db,
    sql`select p.id::text as id, p.name, i.name_normalized as inv_key, p.unit_id::text as unit_id, pu.path like ${c.scopePattern} as visible
      from ${projects} p join ${investors} i on i.id = p.investor_id join ${units} pu on pu.id = p.unit_id
      where ${signedLive("p")} and i.name_normalized in (
        select i2.name_normalized from ${projects} p2 join ${investors} i2 on i2.id = p2.investor_id
        where ${signedLive("p2")} ${touching}
        group by i2.name_normalized having min(p2.unit_id::text) <> max(p2.unit_id::text))
      order by p.signed_on, p.code`,
  );
  // out-of-scope names are compared here and dropped: only ids (as a digest) and counts leave
  const groups = groupRepeatSignings(candidates.map((r) => ({ ...r, investorKey: r.inv_key, unitId: r.unit_id }))).filter((g) => g.some((r) => r.visible));
  if (!groups.length) return NO_FLAGS;
  // 2. what the flags show, for the projects in scope of the groups found
  const shownIds = groups.flatMap((g) => g.filter((r) => r.visible).map((r) => r.id));
  const shown = new Map(
    (
      await queryRows<{ id: string; code: string; unit_name: string; unit_path: string; investor_name: string; signed_on: string; signed_amount: string | null; capital_type: TCapitalType }>(
        c.db,
        sql`select p.id::text as id, p.code, pu.name as unit_name, pu.path as unit_path, i.name as investor_name, p.signed_on::text as signed_on,
            p.signed_amount::text as signed_amount, p.capital_type::text as capital_type
          from ${projects} p join ${investors} i on i.id = p.investor_id join ${units} pu on pu.id = p.unit_id where p.id = any(${uuidArray(shownIds)})`,
      )
    ).map((r) => [r.id, r]),
  );
  const members: TFlagMemberRow[] = [];
  for (const g of groups) {
    const inScope = g.filter((r) => r.visible && shown.has(r.id));
    const hidden = g.filter((r) => !r.visible).map((r) => r.id);
    const first = inScope[0];
    if (!first) continue;
    const ids = inScope.map((r) => r.id);
    const show = (id: string) => shown.get(id)!;
    const flag = {
      rule: "repeat_signing" as const,
      key: flagKey("repeat_signing", ids, hidden.length ? digestIds(hidden) : null),
      on_date: inScope.map((r) => show(r.id).signed_on).sort().at(-1)!,
      project_ids: ids,
      row_ids: ids,
      detail: {
        investorName: show(first.id).investor_name,
        unitCount: new Set(g.map((r) => r.unit_id)).size,
        outsideCount: hidden.length,
        projects: inScope.map((r) => {
          const x = show(r.id);
          return { id: r.id, code: x.code, name: r.name, unitName: x.unit_name, signedOn: x.signed_on, signedAmount: x.signed_amount, currency: currencyOf(x.capital_type) };
        }),
      } satisfies TFlagDetails["repeat_signing"],
    };
    inScope.forEach((r, ord) => {
      const x = show(r.id);
      members.push({ ...flag, ord, project_id: r.id, project_code: x.code, project_name: r.name, unit_id: r.unit_id, unit_name: x.unit_name, unit_path: x.unit_path });
    });
  }
  return sql`select * from jsonb_to_recordset(${JSON.stringify(members)}::jsonb) as x(${MEMBER_COLUMNS})`;
}

/** 三未项目 (the definition in three-not.ts): which of registration, construction start, verified funds are missing. */
async function threeNot(c: TRuleContext): Promise<SQL> {
  const threshold = Number(c.settings.threeNotDays);
  return sql`select ${single(
    c,
    "three_not",
    sql`'three_not:' || p.id::text`,
    sql`p.signed_on`,
    sql`jsonb_build_array(p.id::text)`,
    sql`jsonb_build_object('signedOn', p.signed_on::text, 'days', ${c.today}::date - p.signed_on, 'thresholdDays', ${threshold}::int,
      'registeredOn', t3.registered_on, 'constructionOn', t3.construction_on, 'funded', t3.funded)`,
  )}
    from ${projects} p
    join ${units} pu on pu.id = p.unit_id
    cross join lateral (select ${threeNotColumns}) t3
    where ${projectWhere(c)} and ${isThreeNotSql(threshold, c.today)}`;
}

export const RULES: Record<TFlagRule, (c: TRuleContext) => Promise<SQL>> = {
  backdated,
  over_signed: overSignedRule,
  duplicate_evidence: duplicateEvidence,
  skipped_stage: skippedStage,
  repeat_signing: repeatSigning,
  three_not: threeNot,
};

const date = (v: unknown) => new Date(v as string);

/** The raw facts a rule put in `detail` (jsonb) → the typed detail the pages explain. */
export function finishDetail<R extends TFlagRule>(rule: R, raw: unknown): TFlagDetails[R] {
  const d = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>;
  switch (rule as TFlagRule) {
    case "backdated": {
      const lock = d.lock as (Record<string, unknown> & { kind: TPeriodKind; periodStart: string; periodEnd: string }) | null;
      return {
        ...(d as Omit<TFlagDetails["backdated"], "reportedAt" | "late" | "lock">),
        reportedAt: date(d.reportedAt),
        late: Number(d.days) > Number(d.thresholdDays),
        lock: lock ? { kind: lock.kind, periodStart: lock.periodStart, periodEnd: lock.periodEnd, lockedAt: date(lock.lockedAt), reopenedAt: lock.reopenedAt ? date(lock.reopenedAt) : null } : null,
      } as TFlagDetails[R];
    }
    case "over_signed": {
      const v = d as { verified: string; signed: string; currency: TCurrency; trancheCount: number; tranches: TFlagDetails["over_signed"]["tranches"] };
      // the SQL selected verified > signed > 0, so overSigned is never null here
      const over = overSigned(v.verified, v.signed)!;
      return { verified: v.verified, signed: v.signed, ...over, currency: v.currency, trancheCount: v.trancheCount, tranches: v.tranches } as TFlagDetails[R];
    }
    case "duplicate_evidence":
      return { ...d, evidenceNo: String(d.evidenceNo).trim() } as TFlagDetails[R];
    case "skipped_stage": {
      const v = d as { eventId: string; from: TStage; to: TStage; businessDate: string; recordedAt: string; actorName: string | null };
      return { eventId: v.eventId, from: v.from, to: v.to, skipped: skippedStages(v.from, v.to), businessDate: v.businessDate, recordedAt: date(v.recordedAt), actorName: v.actorName } as TFlagDetails[R];
    }
    case "repeat_signing":
      return d as TFlagDetails[R];
    case "three_not": {
      const v = d as { signedOn: string; days: number; thresholdDays: number; registeredOn: string | null; constructionOn: string | null; funded: boolean };
      return {
        signedOn: v.signedOn,
        days: Number(v.days),
        thresholdDays: Number(v.thresholdDays),
        missing: threeNotItems({ registeredOn: v.registeredOn, constructionOn: v.constructionOn, hasVerifiedFunds: Boolean(v.funded) }),
      } as TFlagDetails[R];
    }
  }
}
