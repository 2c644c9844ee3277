// The state the figures are computed from, now or as it stood at a past moment. Each builder
// returns one SQL subquery with the same columns either way, so "live" is simply "as of no
// moment" and as of now equals live by construction.
//
// How a past state is rebuilt: every write records the row's full snapshot before and after in
// the audit log, in the transaction of the write. An object changed since the moment was, at the
// moment, what the `before` of its first later audit entry says (no `before` there: it did not
// exist yet); an object not changed since is as it is now. Rows written without audit entries
// (seeded or generated data) are dated by their own timestamps.
//
// A moment is named two ways. A time someone picks: the writes whose transaction began by then
// count — a write stamps its rows and its audit entries with its transaction's time, now() (the
// chain trigger sees to the entries, migration 0011). A publication's snapshot: exactly the writes
// it saw, named by the audit head it saw. Entries are numbered in commit order (the chain trigger
// holds its lock until the commit), so the entries after the head are the writes the snapshot did
// not see — even one that began before its moment and committed after. A stage event is one of
// them when its project has an entry of such a write at the event's own instant.
import { sql, type SQL } from "drizzle-orm";
import { auditLog, projects, stageEvents, tranches, units } from "@/db/schema";

/** A past moment: its time (timestamptz text, to the microsecond) and, for a publication, the audit head its snapshot saw. */
export type TMoment = { at: string; auditSeq: number | null };

/** A moment someone picked (a time only), or one given as is. */
export const toMoment = (asOf: Date | TMoment | null | undefined): TMoment | null =>
  asOf instanceof Date ? { at: asOf.toISOString(), auditSeq: null } : (asOf ?? null);

const at = (m: TMoment) => sql`${m.at}::timestamptz`;

/** A timestamptz as the text a moment is kept in: UTC, to the microsecond (2026-03-02T01:15:00.123456Z). */
export const isoMicros = (t: SQL) => sql`to_char(${t} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Audit entries `a` written after the moment. */
const later = (m: TMoment) => (m.auditSeq === null ? sql`a.at > ${at(m)}` : sql`a.seq > ${m.auditSeq}::bigint`);

/** The before-snapshot of each object's first audit entry after the moment (`snap` null: created since). */
export function firstLaterSnapshot(entityType: string, m: TMoment): SQL {
  return sql`select distinct on (a.entity_id) a.entity_id, a.before as snap from ${auditLog} a
    where a.entity_type = ${entityType} and ${later(m)} order by a.entity_id, a.seq`;
}

/**
 * The unit tree: id, code, name, parent_id, path. As of a moment, each unit's code, name and
 * parent are taken from its snapshot and the paths are rebuilt from the parents, because moving a
 * unit changes the paths of its whole subtree while only the moved unit gets an audit entry.
 */
export function unitTree(asOf: TMoment | null): SQL {
  if (!asOf) return sql`select ${units.id} as id, ${units.code} as code, ${units.name} as name, ${units.parentId} as parent_id, ${units.path} as path from ${units}`;
  return sql`with recursive s as (
      select u.id,
        case when c.entity_id is null then u.code else c.snap->>'code' end as code,
        case when c.entity_id is null then u.name else c.snap->>'name' end as name,
        case when c.entity_id is null then u.parent_id else (c.snap->>'parentId')::uuid end as parent_id
      from ${units} u left join (${firstLaterSnapshot("unit", asOf)}) c on c.entity_id = u.id::text
      where c.entity_id is null or c.snap is not null
    ), tree as (
      select id, code, name, parent_id, code || '/' as path from s where parent_id is null
      union all
      select s.id, s.code, s.name, s.parent_id, tree.path || s.code || '/' from s join tree on s.parent_id = tree.id
    )
    select id, code, name, parent_id, path from tree`;
}

/** Live projects (as of a moment: not deleted then) with their unit, capital type and origin class then. */
export function projectAttributes(asOf: TMoment | null): SQL {
  if (!asOf)
    return sql`select ${projects.id} as id, ${projects.code} as code, ${projects.unitId} as unit_id, ${projects.capitalType}::text as capital_type,
      ${projects.originClass}::text as origin_class from ${projects} where ${projects.deletedAt} is null`;
  // a project created since has no `before` and no tranche or event recorded by then: it is kept
  // as it is now, and contributes nothing
  return sql`select p.id, coalesce(c.snap->>'code', p.code) as code, coalesce((c.snap->>'unitId')::uuid, p.unit_id) as unit_id,
      coalesce(c.snap->>'capitalType', p.capital_type::text) as capital_type,
      coalesce(c.snap->>'originClass', p.origin_class::text) as origin_class
    from ${projects} p
    left join (
      select distinct on (a.entity_id) a.entity_id, a.before as snap from ${auditLog} a
      where a.entity_type = 'project' and ${later(asOf)} and a.before ? 'unitId'
      order by a.entity_id, a.seq
    ) c on c.entity_id = p.id::text
    where case when c.snap is null then p.deleted_at is null or p.deleted_at > ${at(asOf)} else c.snap->>'deletedAt' is null end`;
}

/**
 * Tranches with their amount and arrival date, and whether they were verified or awaiting
 * verification (`verified`, `pending`). As of a moment this includes tranches withdrawn since
 * (they are deleted, but their withdrawal entry keeps the row) with the amount they had then.
 */
export function trancheStates(asOf: TMoment | null): SQL {
  if (!asOf)
    return sql`select t.id, t.project_id, t.amount, t.arrived_on, t.status = 'verified' as verified, t.status = 'pending' as pending from ${tranches} t`;
  const m = at(asOf);
  return sql`select st.id, st.project_id, st.amount, st.arrived_on,
      (st.status = 'verified' and st.reported_at <= ${m} and st.verified_at <= ${m}) as verified,
      (st.reported_at <= ${m} and not (st.status in ('verified', 'rejected') and st.verified_at <= ${m})) as pending
    from (
      with later as (${firstLaterSnapshot("tranche", asOf)})
      select t.id, t.project_id, t.amount, t.arrived_on, t.status::text as status, t.reported_at, t.verified_at
        from ${tranches} t where not exists (select 1 from later l where l.entity_id = t.id::text)
      union all
      select l.entity_id::uuid, (l.snap->>'projectId')::uuid, (l.snap->>'amount')::numeric(20, 2), (l.snap->>'arrivedOn')::date,
        l.snap->>'status', (l.snap->>'reportedAt')::timestamptz, (l.snap->>'verifiedAt')::timestamptz
        from later l where l.snap is not null
    ) st`;
}

/**
 * The signing in force per project: the latest stage event carrying a signed amount (entering
 * `signed`, or a correction of the signing date or amount), unless a later event took the project
 * back before `signed`. Its business date is the signing date. The stage events are the one
 * source: a project row changed without an event does not change a figure. (One pass: the latest
 * of the signing and taking-back events per project, kept when it is a signing.)
 */
export function signings(asOf: TMoment | null): SQL {
  return sql`select s.project_id, s.signed_on, s.signed_amount, s.event_id from (
      select distinct on (e.project_id) e.project_id, e.business_date as signed_on, e.signed_amount, e.id as event_id
      from ${stageEvents} e
      where ((e.signed_amount is not null and e.to_stage in ('signed', 'funds'))
          or (e.from_stage in ('signed', 'funds') and e.to_stage in ('contact', 'negotiation')))
        ${asOf ? sql`and e.recorded_at <= ${at(asOf)}` : sql``}
        ${asOf?.auditSeq != null ? sql`and not exists (select 1 from ${auditLog} a where a.entity_type = 'project' and a.entity_id = e.project_id::text and ${later(asOf)} and a.at = e.recorded_at)` : sql``}
      order by e.project_id, e.recorded_at desc, e.id desc
    ) s
    where s.signed_amount is not null`;
}
