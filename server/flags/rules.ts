// The integrity rules (数据质量提示), each one SQL query over live projects. A rule returns flags
// that explain themselves (structured `detail` for the message) and carry the ids of their rows.
//
// Scope. Rules about one project's own rows (backdated, over_signed, skipped_stage, three_not) read
// only projects in the viewer's scope. Two rules compare rows across units (duplicate_evidence,
// repeat_signing): they must look at the whole installation — a Shenyang tranche whose bank slip
// number was already used in Dalian is exactly what they exist to catch — yet reveal nothing of
// the other city. Our choice: such a flag is shown when at least one of its rows is in scope; it
// lists only the rows in scope and says how many others exist ("2 more tranches outside your
// scope", the number of units) without naming their projects, units, amounts or ids. Columns of
// out-of-scope rows are nulled in the SQL itself, and their ids enter the flag's key only as a
// digest. The key of a cross-scope flag therefore depends on what the viewer sees: a review made
// on the full picture (by the province) is not shown as the review of a city's partial view — its
// note may well name the other city's project — and the city's leader reviews their own part.
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { investors, periodLocks, projects, stageEvents, tranches, units, users } from "@/db/schema";
import { currencyOf, STAGES, type TCapitalType, type TCurrency, type TPeriodKind, type TStage, type TTrancheStatus } from "@/lib/domain";
import { flagKey, groupRepeatSignings, overSigned, threeNotItems, type TFlagRule, type TThreeNotItem } from "@/lib/flags";
import { skippedStages } from "@/lib/stage-rules";
import type { TSettings } from "@/server/settings/settings";

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
    /** recorded after this (not reopened) lock of the arrival date's period was set */
    lock: { kind: TPeriodKind; periodStart: string; periodEnd: string; lockedAt: Date } | null;
  };
  over_signed: { verified: string; signed: string; excess: string; pct: string; currency: TCurrency; trancheCount: number };
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

/** A project in scope that a flag is about, with what the service needs but never returns (unit id, path). */
export type TFlagMember = { projectId: string; projectCode: string; projectName: string; unitName: string; unitId: string; path: string };
/** A computed flag and its projects in scope, in the order the flag lists them. */
export type TRuleResult = { flag: TFlagCore; members: TFlagMember[] };

export type TRuleContext = {
  db: Db;
  /** LIKE pattern of the viewer's scope */
  scopePattern: string;
  /** LIKE pattern the project-level rules read: the scope, or a unit subtree inside it */
  unitPattern: string;
  projectId?: string;
  settings: TSettings;
  today: string;
};

type TProjectCols = { project_id: string; project_code: string; project_name: string; capital_type: TCapitalType; unit_id: string; unit_name: string; unit_path: string };

const PROJECT_COLS = sql`p.id::text as project_id, p.code as project_code, p.name as project_name, p.capital_type::text as capital_type,
  pu.id::text as unit_id, pu.name as unit_name, pu.path as unit_path`;
const STAGE_ARRAY = sql.raw(`array[${STAGES.map((s) => `'${s}'`).join(",")}]::text[]`);
/** A timestamptz as an ISO string: both drivers read it the same way. */
const iso = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The China (UTC+8) calendar date of a timestamptz. */
const chinaDate = (expr: SQL) => sql`((${expr} at time zone 'UTC') + interval '8 hours')::date`;

/** Digest of ids that a key stands for without naming them. */
export const digestIds = (ids: readonly string[]) => createHash("sha256").update([...ids].sort().join(",")).digest("hex").slice(0, 16);

function projectWhere(c: TRuleContext): SQL {
  return sql`p.deleted_at is null and pu.path like ${c.unitPattern}${c.projectId ? sql` and p.id = ${c.projectId}` : sql``}`;
}

function head(r: TProjectCols) {
  return { projectId: r.project_id, projectCode: r.project_code, projectName: r.project_name, unitName: r.unit_name, projectIds: [r.project_id] };
}
const place = (r: TProjectCols) => ({
  members: [{ projectId: r.project_id, projectCode: r.project_code, projectName: r.project_name, unitName: r.unit_name, unitId: r.unit_id, path: r.unit_path }],
});

/** 突击上报/补报: recorded more than `backdateDays` after arrival, or after the arrival's period was locked. */
async function backdated(c: TRuleContext): Promise<TRuleResult[]> {
  const reportedOn = chinaDate(sql`t.reported_at`);
  const threshold = Number(c.settings.backdateDays);
  const rows = await queryRows<
    TProjectCols & {
      id: string; amount: string; status: TTrancheStatus; arrived_on: string; reported_at: string; reported_on: string; days: number;
      lock_kind: TPeriodKind | null; lock_start: string | null; lock_end: string | null; locked_at: string | null;
    }
  >(
    c.db,
    sql`select t.id::text as id, t.amount::text as amount, t.status::text as status, t.arrived_on::text as arrived_on,
        ${iso(sql`t.reported_at`)} as reported_at, ${reportedOn}::text as reported_on, (${reportedOn} - t.arrived_on)::int as days,
        lk.kind::text as lock_kind, lk.period_start::text as lock_start, lk.period_end::text as lock_end, ${iso(sql`lk.locked_at`)} as locked_at,
        ${PROJECT_COLS}
      from ${tranches} t
      join ${projects} p on p.id = t.project_id
      join ${units} pu on pu.id = p.unit_id
      left join lateral (
        select l.kind, l.period_start, l.period_end, l.locked_at
        from ${periodLocks} l join ${units} lu on lu.id = l.unit_id
        where l.reopened_at is null and t.arrived_on between l.period_start and l.period_end
          and pu.path like lu.path || '%' and t.reported_at > l.locked_at
        order by l.locked_at, l.id limit 1
      ) lk on true
      where ${projectWhere(c)} and t.status <> 'rejected'
        and ((${reportedOn} - t.arrived_on) > ${threshold}::int or lk.locked_at is not null)
      order by t.arrived_on desc, t.id`,
  );
  return rows.map((r): TRuleResult => ({
    ...place(r),
    flag: {
      key: flagKey("backdated", [r.id]),
      rule: "backdated",
      ...head(r),
      on: r.arrived_on,
      rows: [r.id],
      detail: {
        trancheId: r.id,
        amount: r.amount,
        currency: currencyOf(r.capital_type),
        status: r.status,
        arrivedOn: r.arrived_on,
        reportedAt: new Date(r.reported_at),
        reportedOn: r.reported_on,
        days: Number(r.days),
        thresholdDays: threshold,
        late: Number(r.days) > threshold,
        lock: r.locked_at ? { kind: r.lock_kind!, periodStart: r.lock_start!, periodEnd: r.lock_end!, lockedAt: new Date(r.locked_at) } : null,
      },
    },
  }));
}

/** Verified funds above the signed amount. The key changes when the verified tranches change. */
async function overSignedRule(c: TRuleContext): Promise<TRuleResult[]> {
  const rows = await queryRows<TProjectCols & { signed: string; verified: string; ids: string; n: number; signed_on: string | null }>(
    c.db,
    sql`select p.signed_amount::text as signed, v.total::text as verified, v.ids, v.n, p.signed_on::text as signed_on, ${PROJECT_COLS}
      from ${projects} p
      join ${units} pu on pu.id = p.unit_id
      join lateral (
        select sum(t.amount) as total, string_agg(t.id::text, ',' order by t.id) as ids, count(*)::int as n
        from ${tranches} t where t.project_id = p.id and t.status = 'verified'
      ) v on true
      where ${projectWhere(c)} and p.signed_amount is not null and v.total > p.signed_amount
      order by p.code`,
  );
  return rows.flatMap((r): TRuleResult[] => {
    const over = overSigned(r.verified, r.signed);
    if (!over) return [];
    const ids = r.ids.split(",");
    return [
      {
        ...place(r),
        flag: {
          key: flagKey("over_signed", [r.project_id], digestIds(ids)),
          rule: "over_signed",
          ...head(r),
          on: r.signed_on ?? "",
          rows: ids,
          detail: { verified: r.verified, signed: r.signed, ...over, currency: currencyOf(r.capital_type), trancheCount: Number(r.n) },
        },
      },
    ];
  });
}

/**
 * The same evidence number (trimmed, NFKC — full-width digits typed on a Chinese keyboard — and
 * case-insensitive) on two or more tranches of live projects; rejected tranches are already dealt
 * with and do not count. One flag per number, shown when one of its tranches is in scope.
 */
async function duplicateEvidence(c: TRuleContext): Promise<TRuleResult[]> {
  const visible = sql`pu.path like ${c.scopePattern}`;
  const ifVisible = (expr: SQL) => sql`case when ${visible} then ${expr} end`;
  const rows = await queryRows<{
    id: string; ev_key: string; visible: boolean; evidence_no: string | null; amount: string | null; arrived_on: string | null;
    status: TTrancheStatus | null; project_id: string | null; project_code: string | null; project_name: string | null;
    capital_type: TCapitalType | null; unit_id: string | null; unit_name: string | null; unit_path: string | null;
  }>(
    c.db,
    sql`with ev as (
        select t.id, t.project_id, t.amount, t.arrived_on, t.status, t.evidence_no, t.reported_at,
          lower(regexp_replace(normalize(t.evidence_no, NFKC), '^[[:space:]]+|[[:space:]]+$', '', 'g')) as ev_key
        from ${tranches} t join ${projects} p on p.id = t.project_id
        where p.deleted_at is null and t.status <> 'rejected' and t.evidence_no is not null
      ), grp as (
        select ev.ev_key from ev join ${projects} p on p.id = ev.project_id join ${units} pu on pu.id = p.unit_id
        where ev.ev_key <> ''
        group by ev.ev_key
        having count(*) >= 2 and bool_or(${visible})
      )
      select ev.id::text as id, ev.ev_key, ${visible} as visible,
        ${ifVisible(sql`ev.evidence_no`)} as evidence_no, ${ifVisible(sql`ev.amount::text`)} as amount,
        ${ifVisible(sql`ev.arrived_on::text`)} as arrived_on, ${ifVisible(sql`ev.status::text`)} as status,
        ${ifVisible(sql`p.id::text`)} as project_id, ${ifVisible(sql`p.code`)} as project_code, ${ifVisible(sql`p.name`)} as project_name,
        ${ifVisible(sql`p.capital_type::text`)} as capital_type, ${ifVisible(sql`pu.id::text`)} as unit_id,
        ${ifVisible(sql`pu.name`)} as unit_name, ${ifVisible(sql`pu.path`)} as unit_path
      from ev join grp on grp.ev_key = ev.ev_key
      join ${projects} p on p.id = ev.project_id
      join ${units} pu on pu.id = p.unit_id
      order by ev.ev_key, ev.reported_at, ev.id`,
  );
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(r.ev_key, [...(groups.get(r.ev_key) ?? []), r]);
  const out: TRuleResult[] = [];
  for (const g of groups.values()) {
    const shown = g.filter((r) => r.visible);
    const hidden = g.filter((r) => !r.visible).map((r) => r.id);
    const first = shown[0];
    if (!first) continue;
    const listed = shown.map((r) => ({
      id: r.id,
      projectId: r.project_id!,
      projectCode: r.project_code!,
      projectName: r.project_name!,
      unitName: r.unit_name!,
      amount: r.amount!,
      currency: currencyOf(r.capital_type!),
      arrivedOn: r.arrived_on!,
      status: r.status!,
    }));
    out.push({
      members: shown.map((r) => ({
        projectId: r.project_id!, projectCode: r.project_code!, projectName: r.project_name!, unitName: r.unit_name!, unitId: r.unit_id!, path: r.unit_path!,
      })),
      flag: {
        key: flagKey("duplicate_evidence", shown.map((r) => r.id), hidden.length ? digestIds(hidden) : null),
        rule: "duplicate_evidence",
        projectId: first.project_id!,
        projectCode: first.project_code!,
        projectName: first.project_name!,
        unitName: first.unit_name!,
        projectIds: [...new Set(listed.map((r) => r.projectId))],
        on: listed.map((r) => r.arrivedOn).sort().at(-1)!,
        rows: listed.map((r) => r.id),
        detail: { evidenceNo: first.evidence_no!.trim(), total: g.length, outsideCount: hidden.length, tranches: listed },
      },
    });
  }
  return out;
}

/** A forward stage move that passed over a stage (contact → signed), from the stage events. */
async function skippedStage(c: TRuleContext): Promise<TRuleResult[]> {
  const rows = await queryRows<TProjectCols & { id: string; from_stage: TStage; to_stage: TStage; business_date: string; recorded_at: string; actor_name: string | null }>(
    c.db,
    sql`select e.id::text as id, e.from_stage::text as from_stage, e.to_stage::text as to_stage, e.business_date::text as business_date,
        ${iso(sql`e.recorded_at`)} as recorded_at, a.name as actor_name, ${PROJECT_COLS}
      from ${stageEvents} e
      join ${projects} p on p.id = e.project_id
      join ${units} pu on pu.id = p.unit_id
      left join ${users} a on a.id = e.actor_id
      where ${projectWhere(c)} and e.from_stage is not null
        and array_position(${STAGE_ARRAY}, e.from_stage::text) + 1 < array_position(${STAGE_ARRAY}, e.to_stage::text)
      order by e.business_date desc, e.id`,
  );
  return rows.map((r): TRuleResult => ({
    ...place(r),
    flag: {
      key: flagKey("skipped_stage", [r.id]),
      rule: "skipped_stage",
      ...head(r),
      on: r.business_date,
      rows: [r.id],
      detail: {
        eventId: r.id,
        from: r.from_stage,
        to: r.to_stage,
        skipped: skippedStages(r.from_stage, r.to_stage),
        businessDate: r.business_date,
        recordedAt: new Date(r.recorded_at),
        actorName: r.actor_name,
      },
    },
  }));
}

/**
 * 重复签约: signed (not lost) projects of the same investor — same normalised investor name, so two
 * investor records of one company count as one — whose names normalise equally, in two or more
 * units. SQL narrows to investors with signings in two units; the name comparison runs in TS.
 */
async function repeatSigning(c: TRuleContext): Promise<TRuleResult[]> {
  const visible = sql`pu.path like ${c.scopePattern}`;
  const rows = await queryRows<{
    id: string; name: string; inv_key: string; unit_id: string; visible: boolean; investor_name: string | null; code: string | null;
    unit_name: string | null; unit_path: string | null; signed_on: string | null; signed_amount: string | null; capital_type: TCapitalType | null;
  }>(
    c.db,
    sql`with s as (
        select p.id, p.unit_id, i.name_normalized as inv_key
        from ${projects} p join ${investors} i on i.id = p.investor_id
        where p.deleted_at is null and p.signed_on is not null and p.status <> 'lost'
      ), cand as (
        select s.inv_key from s join ${units} pu on pu.id = s.unit_id
        group by s.inv_key
        having count(distinct s.unit_id) >= 2 and bool_or(${visible})
      )
      select p.id::text as id, p.name, s.inv_key, p.unit_id::text as unit_id, ${visible} as visible,
        case when ${visible} then i.name end as investor_name, case when ${visible} then p.code end as code,
        case when ${visible} then pu.name end as unit_name, case when ${visible} then pu.path end as unit_path,
        case when ${visible} then p.signed_on::text end as signed_on, case when ${visible} then p.signed_amount::text end as signed_amount,
        case when ${visible} then p.capital_type::text end as capital_type
      from s join cand on cand.inv_key = s.inv_key
      join ${projects} p on p.id = s.id
      join ${investors} i on i.id = p.investor_id
      join ${units} pu on pu.id = p.unit_id
      order by p.signed_on, p.code`,
  );
  const out: TRuleResult[] = [];
  // out-of-scope names are compared here and dropped: only ids (as a digest) and counts leave
  for (const g of groupRepeatSignings(rows.map((r) => ({ ...r, investorKey: r.inv_key, unitId: r.unit_id })))) {
    const shown = g.filter((r) => r.visible);
    const hidden = g.filter((r) => !r.visible).map((r) => r.id);
    const first = shown[0];
    if (!first) continue;
    out.push({
      members: shown.map((r) => ({ projectId: r.id, projectCode: r.code!, projectName: r.name, unitName: r.unit_name!, unitId: r.unit_id, path: r.unit_path! })),
      flag: {
        key: flagKey("repeat_signing", shown.map((r) => r.id), hidden.length ? digestIds(hidden) : null),
        rule: "repeat_signing",
        projectId: first.id,
        projectCode: first.code!,
        projectName: first.name,
        unitName: first.unit_name!,
        projectIds: shown.map((r) => r.id),
        on: shown.map((r) => r.signed_on!).sort().at(-1)!,
        rows: shown.map((r) => r.id),
        detail: {
          investorName: first.investor_name!,
          unitCount: new Set(g.map((r) => r.unit_id)).size,
          outsideCount: hidden.length,
          projects: shown.map((r) => ({
            id: r.id, code: r.code!, name: r.name, unitName: r.unit_name!, signedOn: r.signed_on!, signedAmount: r.signed_amount, currency: currencyOf(r.capital_type!),
          })),
        },
      },
    });
  }
  return out;
}

/** 三未项目: signed (not lost) more than `threeNotDays` ago and still not registered, started or funded (verified). */
async function threeNot(c: TRuleContext): Promise<TRuleResult[]> {
  const threshold = Number(c.settings.threeNotDays);
  const funded = sql`exists (select 1 from ${tranches} t where t.project_id = p.id and t.status = 'verified')`;
  const rows = await queryRows<TProjectCols & { signed_on: string; days: number; registered_on: string | null; construction_on: string | null; funded: boolean }>(
    c.db,
    sql`select p.signed_on::text as signed_on, (${c.today}::date - p.signed_on)::int as days,
        p.registered_on::text as registered_on, p.construction_on::text as construction_on, ${funded} as funded, ${PROJECT_COLS}
      from ${projects} p
      join ${units} pu on pu.id = p.unit_id
      where ${projectWhere(c)} and p.stage in ('signed', 'funds') and p.status <> 'lost' and p.signed_on is not null
        and ${c.today}::date - p.signed_on > ${threshold}::int
        and (p.registered_on is null or p.construction_on is null or not ${funded})
      order by p.signed_on, p.code`,
  );
  return rows.map((r): TRuleResult => ({
    ...place(r),
    flag: {
      key: flagKey("three_not", [r.project_id]),
      rule: "three_not",
      ...head(r),
      on: r.signed_on,
      rows: [r.project_id],
      detail: {
        signedOn: r.signed_on,
        days: Number(r.days),
        thresholdDays: threshold,
        missing: threeNotItems({ registeredOn: r.registered_on, constructionOn: r.construction_on, hasVerifiedFunds: Boolean(r.funded) }),
      },
    },
  }));
}

export const RULES: Record<TFlagRule, (c: TRuleContext) => Promise<TRuleResult[]>> = {
  backdated,
  over_signed: overSignedRule,
  duplicate_evidence: duplicateEvidence,
  skipped_stage: skippedStage,
  repeat_signing: repeatSigning,
  three_not: threeNot,
};
