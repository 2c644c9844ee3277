// 发布数据: a leader freezes a period's figures. The stored record (result, parameters, definition
// version, the rows behind it and a hash over all of it) never changes (append-only triggers,
// migrations 0005 and 0014); comparing it with a recomputation shows every revision since, row by
// row, with who changed what. The rows sit in published_figure_rows — a province's year is a few
// hundred thousand — and are diffed and digested in SQL: they never pass through the application.
import { and, desc, eq, gt, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { auditLog, publishedFigureRows, publishedFigures, targets, units, users } from "@/db/schema";
import type { TAuditNames } from "@/lib/audit-diff";
import { previousYear, yearToEnd } from "@/lib/periods";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { currentAuditHead } from "@/server/audit/audit-head";
import { resolveAuditNames } from "@/server/audit/audit-names";
import { writeAudit } from "@/server/audit/write-audit";
import { canonicalJson, sha256 } from "@/server/lib/canonical-json";
import { AppError, notFound } from "@/server/lib/errors";
import { getUnit } from "@/server/units/units";
import { ZDate } from "@/server/projects/project-fields";
import { firstLaterSnapshot, isoMicros, signings, trancheStates, type TMoment } from "./as-of";
import { computeHeadline, DEFINITION_VERSION, scopeCtes, type THeadline } from "./headline";

export const ZPublish = z.object({ unit: z.string().min(2).max(40), from: ZDate, to: ZDate }).refine((v) => v.from <= v.to, { message: "errors.period.order", path: ["to"] });

export type TBasisKind = "tranches" | "pending" | "signings" | "targets" | "units";
const BASIS_KINDS = ["tranches", "pending", "signings", "targets", "units"] as const satisfies readonly TBasisKind[];

/**
 * The rows behind the headline of a unit subtree for a period, as of a moment like the figures,
 * as `(kind, key, data)`: the verified tranches of the period, the year before and the year to
 * date; the pending tranches of the period; the signings in force from 1 January (or the period's
 * start) to its end; the annual targets of the unit and its children (0 is no target); the units
 * of the subtree. `data` has the fields records have always stored.
 */
export function basisRows(rootId: string, p: { from: string; to: string }, asOf: TMoment | null): SQL {
  const prev = previousYear(p);
  const ytd = yearToEnd(p);
  const targetValue = asOf ? sql`case when c.entity_id is null then g.value else (c.snap->>'value')::numeric end` : sql`g.value`;
  // the tranches of the dates first: joined to the projects of the subtree by hash, not looked up
  // project by project (the estimate of the subtree's units is far too low)
  return sql`with ${scopeCtes(rootId, asOf)}, ts as (${trancheStates(asOf)}),
    tr as materialized (
      select * from ts t
      where (t.verified and (t.arrived_on between ${p.from} and ${p.to} or t.arrived_on between ${prev.from} and ${prev.to} or t.arrived_on between ${ytd.from} and ${ytd.to}))
        or (t.pending and t.arrived_on between ${p.from} and ${p.to})
    )
    select case when t.verified then 'tranches' else 'pending' end as kind, t.id::text as key,
        jsonb_build_object('id', t.id, 'project_id', t.project_id, 'project_code', pa.code, 'unit', uu.code, 'capital_type', pa.capital_type,
          'amount', t.amount::numeric(20, 2)::text, 'arrived_on', t.arrived_on::text)
          || case when t.verified then jsonb_build_object('origin_class', pa.origin_class) else '{}'::jsonb end as data
      from tr t join pa on pa.id = t.project_id join su on su.unit_id = pa.unit_id join ut uu on uu.id = pa.unit_id
    union all
    select 'signings', s.project_id::text,
        jsonb_build_object('project_id', s.project_id, 'project_code', pa.code, 'unit', uu.code, 'capital_type', pa.capital_type,
          'signed_on', s.signed_on::text, 'signed_amount', s.signed_amount::numeric(20, 2)::text, 'event_id', s.event_id)
      from (${signings(asOf)}) s join pa on pa.id = s.project_id join su on su.unit_id = pa.unit_id join ut uu on uu.id = pa.unit_id
      where s.signed_on between ${ytd.from < p.from ? ytd.from : p.from} and ${p.to}
    union all
    select 'targets', g.id::text, jsonb_build_object('id', g.id, 'unit', n.code, 'metric', g.metric, 'value', v.value::numeric(20, 2)::text)
      from ${targets} g
      join ut n on n.id = g.unit_id and (n.id = ${rootId}::uuid or n.parent_id = ${rootId}::uuid)
      ${asOf ? sql`left join (${firstLaterSnapshot("target", asOf)}) c on c.entity_id = g.id::text` : sql``}
      cross join lateral (select ${targetValue} as value) v
      where g.year = ${Number(p.to.slice(0, 4))} and v.value is not null and v.value <> 0
    union all
    select 'units', u.id::text, jsonb_build_object('id', u.id, 'code', u.code, 'name', u.name, 'parent', pu.code)
      from su join ut u on u.id = su.unit_id left join ut pu on pu.id = u.parent_id`;
}

/** A record's stored rows as `(kind, key, data)`; records from before the rows table hold them in `rows` (only tranches, once). */
function storedRows(id: string, legacy: boolean): SQL {
  if (!legacy) return sql`select r.kind, r.key, r.data from ${publishedFigureRows} r where r.publication_id = ${id}::uuid`;
  return sql`select k.kind, r.data->>(case k.kind when 'signings' then 'project_id' else 'id' end) as key, r.data
    from ${publishedFigures} p
    cross join lateral jsonb_each(case when jsonb_typeof(p.rows) = 'array' then jsonb_build_object('tranches', p.rows) else p.rows end) k(kind, arr)
    cross join lateral jsonb_array_elements(k.arr) r(data)
    where p.id = ${id}::uuid`;
}

/**
 * How many rows and their digest: sha256 over each row's sha256 of `kind|key|data` (data as
 * jsonb's canonical text), in bytewise (kind, key) order. Every function is named with its schema:
 * a look-alike earlier on a search_path cannot vouch for changed rows.
 */
async function rowsDigest(db: Db, rows: SQL): Promise<TRowsDigest> {
  const [r] = await queryRows<{ count: number; digest: string }>(
    db,
    sql`with r as (${rows}) select pg_catalog.count(*)::int as count,
        pg_catalog.encode(pg_catalog.sha256(coalesce(pg_catalog.string_agg(
          pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.concat_ws('|', r.kind, r.key, r.data::text), 'UTF8')), ''::bytea
          order by r.kind collate pg_catalog."C", r.key collate pg_catalog."C"), ''::bytea)), 'hex') as digest
      from r`,
  );
  return { count: Number(r!.count), digest: r!.digest };
}
type TRowsDigest = { count: number; digest: string };
const isDigest = (rows: unknown): rows is TRowsDigest => !!rows && typeof rows === "object" && typeof (rows as { digest?: unknown }).digest === "string";

/** The hash a publication is stored with (and its `figures.publish` audit entry records); `rows`: their digest (or, in older records, the rows). */
export const publicationHash = (r: { definitionVersion: string; params: unknown; result: unknown; rows: unknown; asOf: string }) =>
  sha256(canonicalJson({ definition_version: r.definitionVersion, params: r.params, result: r.result, rows: r.rows, as_of: r.asOf }));

/**
 * Publish: the figures, the digest of the rows behind them, their moment and the audit head are
 * read in one read-only REPEATABLE READ snapshot, so a write landing meanwhile cannot make them
 * disagree. The record, its rows and its audit entry are then written in a READ COMMITTED
 * transaction, where the chain trigger links to the entry committed last (under a snapshot it
 * would fork the chain: migration 0011). The moment and the head name the snapshot (./as-of.ts),
 * so the rows are rebuilt as of them there — the same rows, or the digests differ and nothing is
 * written.
 */
export async function publishFigures(db: Db, actor: TActor, input: z.input<typeof ZPublish>) {
  const data = ZPublish.parse(input);
  const period = { from: data.from, to: data.to };
  const { at, head, unit, result, rows } = await db.transaction(
    async (tx) => {
      // the first statement takes the snapshot and the clock is read after it: every write the
      // snapshot holds began before the moment
      const [{ at }] = (await queryRows<{ at: string }>(tx, sql`select ${isoMicros(sql`clock_timestamp()`)} as at`)) as [{ at: string }];
      const head = await currentAuditHead(tx);
      const unit = await getUnit(tx, actor, data.unit);
      const result = await computeHeadline(tx, actor, { unit: unit.code, ...period });
      result.as_of = at;
      return { at, head, unit, result, rows: await rowsDigest(tx, basisRows(unit.id, period, null)) };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  const params = { unit: unit.code, ...period };
  const hash = publicationHash({ definitionVersion: DEFINITION_VERSION, params, result, rows, asOf: at });
  const moment: TMoment = { at, auditSeq: head.auditHeadSeq ?? 0 };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(publishedFigures)
      .values({ unitId: unit.id, periodFrom: data.from, periodTo: data.to, asOf: sql`${at}::timestamptz`, definitionVersion: DEFINITION_VERSION, params, result, rows, hash, publishedBy: actor.id, ...head })
      .returning({ id: publishedFigures.id, hash: publishedFigures.hash, publishedAt: publishedFigures.publishedAt });
    const stored = await rowsDigest(
      tx,
      sql`insert into ${publishedFigureRows} (publication_id, kind, key, data)
        select ${row!.id}::uuid, r.kind, r.key, r.data from (${basisRows(unit.id, period, moment)}) r
        returning kind, key, data`,
    );
    // only a write that bypassed the audit log can tell the snapshot from its rebuilt rows
    if (stored.digest !== rows.digest) throw new AppError("CONFLICT", { key: "errors.publish.changedMeanwhile" });
    await writeAudit(tx, { actorId: actor.id, action: "figures.publish", entityType: "published_figures", entityId: row!.id, unitId: unit.id, after: { ...params, hash } });
    return row!;
  });
}

/** Published figures of units in scope, newest first (optionally for one unit and period). */
export async function findPublished(db: Db, actor: Pick<TActor, "unitPath">, f: { unit?: string; from?: string; to?: string } = {}) {
  return db
    .select({
      id: publishedFigures.id,
      unitCode: units.code,
      unitName: units.name,
      from: publishedFigures.periodFrom,
      to: publishedFigures.periodTo,
      hash: publishedFigures.hash,
      definitionVersion: publishedFigures.definitionVersion,
      publishedAt: publishedFigures.publishedAt,
      publishedBy: users.name,
    })
    .from(publishedFigures)
    .innerJoin(units, eq(units.id, publishedFigures.unitId))
    .leftJoin(users, eq(users.id, publishedFigures.publishedBy))
    .where(
      and(
        like(units.path, subtreePattern(actor.unitPath)),
        f.unit ? eq(units.code, f.unit) : undefined,
        f.from ? eq(publishedFigures.periodFrom, f.from) : undefined,
        f.to ? eq(publishedFigures.periodTo, f.to) : undefined,
      ),
    )
    .orderBy(desc(publishedFigures.publishedAt))
    .limit(100);
}

type TLeaf = { path: string; published: unknown; now: unknown };
const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object";
function diffLeaves(a: unknown, b: unknown, path = ""): TLeaf[] {
  if (isObject(a) || isObject(b)) {
    // a child unit present on one side only: compare it field by field with nothing
    if (Array.isArray(a) || Array.isArray(b)) {
      const xs = Array.isArray(a) ? a : [];
      const ys = Array.isArray(b) ? b : [];
      const key = (x: unknown) => (x as { unit?: string }).unit ?? "";
      const codes = [...new Set([...xs.map(key), ...ys.map(key)])];
      return codes.flatMap((c) => diffLeaves(xs.find((x) => key(x) === c), ys.find((x) => key(x) === c), `${path}[${c}]`));
    }
    const oa = isObject(a) ? a : {};
    const ob = isObject(b) ? b : {};
    const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])];
    return keys.flatMap((k) => diffLeaves(oa[k], ob[k], path ? `${path}.${k}` : k));
  }
  return (a ?? null) === (b ?? null) ? [] : [{ path, published: a ?? null, now: b ?? null }];
}

export type TFigureKind = "money" | "count" | "pct" | "text";
const COUNT_FIELDS = new Set(["projects", "prev_projects", "domestic_projects", "foreign_projects", "tranches"]);

/** What a figure path means, for people: which unit, which block and field, and how to format it. */
function describeFigure(path: string) {
  const m = /^(?:children\[([^\]]*)\]\.)?(?:(domestic|foreign|out_of_province|signed|pending)\.)?([a-z_]+)$/.exec(path);
  const child = m?.[1] ?? null;
  const group = (m?.[2] ?? null) as "domestic" | "foreign" | "out_of_province" | "signed" | "pending" | null;
  const field = m?.[3] ?? path;
  const kind: TFigureKind = field.endsWith("_pct")
    ? "pct"
    : COUNT_FIELDS.has(field) || (group === "signed" && field === "target")
      ? "count"
      : /(funds|amount|target)$/.test(field)
        ? "money"
        : "text";
  const currency = kind !== "money" ? null : group === "foreign" || field.startsWith("foreign") ? ("USD" as const) : ("CNY" as const);
  return { child, group, field, kind, currency };
}

type TChangeEntry = { seq: number; entityType: string; entityId: string; action: string; at: Date; actorName: string | null; before: unknown; after: unknown };
export type TRowRevision = {
  kind: TBasisKind;
  change: "added" | "removed" | "changed";
  key: string;
  published: Record<string, unknown> | null;
  now: Record<string, unknown> | null;
  changes: TChangeEntry[];
};

/** The audit entries that explain a row: the row's own, and its project's. */
function entitiesOf(r: Omit<TRowRevision, "changes">): Array<[string, string]> {
  const row = (r.now ?? r.published)!;
  switch (r.kind) {
    case "tranches":
    case "pending":
      return [["tranche", String(row.id)], ["project", String(row.project_id)]];
    case "signings":
      return [["project", String(row.project_id)]];
    case "targets":
      return [["target", String(row.id)]];
    case "units":
      return [["unit", String(row.id)]];
  }
}

/**
 * Recompute a published record now and list what changed since: figure by figure, and row by row
 * (verified and pending tranches, signings, targets, units) with the audit entries (who, when,
 * what) written after its snapshot. Also checks the record: its content (its rows by their
 * digest) against its hash, and its hash against the one the `figures.publish` audit entry
 * (hash-chained) recorded.
 */
export async function comparePublished(db: Db, actor: Pick<TActor, "unitPath">, id: string) {
  const [pub] = await db
    .select({ p: publishedFigures, asOf: isoMicros(sql`${publishedFigures.asOf}`).mapWith(String), unitCode: units.code, unitName: units.name, publisher: users.name })
    .from(publishedFigures)
    .innerJoin(units, eq(units.id, publishedFigures.unitId))
    .leftJoin(users, eq(users.id, publishedFigures.publishedBy))
    .where(and(eq(publishedFigures.id, id), like(units.path, subtreePattern(actor.unitPath))));
  if (!pub) throw notFound("published");
  const p = pub.p;
  const legacy = !isDigest(p.rows);
  // the rows of the record: in its rows table, or (older records) in `rows`, then only the kinds kept
  const kinds = legacy ? (Array.isArray(p.rows) ? ["tranches"] : BASIS_KINDS.filter((k) => k in (p.rows as object))) : [...BASIS_KINDS];
  const stored = storedRows(p.id, legacy);
  const inKinds = sql`kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`;
  const period = { from: p.periodFrom, to: p.periodTo };
  // the record's snapshot: its moment and audit head (records from before heads were kept: the moment)
  const moment: TMoment = { at: pub.asOf, auditSeq: legacy ? p.auditHeadSeq : (p.auditHeadSeq ?? 0) };

  const [[recorded], digest, now, then, diffs, unitRows] = await Promise.all([
    queryRows<{ hash: string | null }>(
      db,
      sql`select a.after->>'hash' as hash from ${auditLog} a where a.entity_type = 'published_figures' and a.entity_id = ${p.id} and a.action = 'figures.publish' order by a.seq limit 1`,
    ),
    legacy ? null : rowsDigest(db, stored),
    computeHeadline(db, actor, { unit: pub.unitCode, ...period }),
    // the same definitions as of the publication's snapshot must give the published figures again
    computeHeadline(db, actor, { unit: pub.unitCode, ...period, asOf: moment }),
    queryRows<{ kind: TBasisKind; key: string; published: Record<string, unknown> | null; now: Record<string, unknown> | null }>(
      db,
      sql`with cur as (select * from (${basisRows(p.unitId, period, null)}) c where ${inKinds}), pub as (${stored})
        select coalesce(c.kind, s.kind) as kind, coalesce(c.key, s.key) as key, s.data as published, c.data as now
        from cur c full join pub s on s.kind = c.kind and s.key = c.key
        where c.data is distinct from s.data
        order by 1, 2`,
    ),
    // unit codes in the rows, by name: as published, then as now
    queryRows<{ code: string; name: string }>(
      db,
      sql`select data->>'code' as code, data->>'name' as name from (${stored}) s where kind = 'units'
        union all select code, name from ${units} where path like ${subtreePattern(actor.unitPath)}`,
    ),
  ]);
  const hashed = (asOf: string, rows: unknown) => publicationHash({ definitionVersion: p.definitionVersion, params: p.params, result: p.result, rows, asOf }) === p.hash;
  const integrity = {
    content:
      (!digest || (digest.count === (p.rows as TRowsDigest).count && digest.digest === (p.rows as TRowsDigest).digest)) &&
      // records published before moments were kept to the microsecond hashed the millisecond text
      (hashed(pub.asOf, p.rows) || (pub.asOf.endsWith("000Z") && hashed(`${pub.asOf.slice(0, -4)}Z`, p.rows))),
    audit: !!recorded?.hash && recorded.hash === p.hash,
  };

  const published = p.result as THeadline;
  const ignore = new Set(["as_of", "definition_version"]);
  const names = new Map([...published.children, ...now.children].map((c) => [c.unit, c.name]));
  const figures = diffLeaves(published, now)
    .filter((d) => !ignore.has(d.path))
    .map((d) => {
      const f = describeFigure(d.path);
      return { ...d, ...f, childName: f.child ? (names.get(f.child) ?? f.child) : null };
    });
  const reproduced = diffLeaves(published, then).filter((d) => !ignore.has(d.path)).length;

  const revised = diffs.map((d) => ({ ...d, change: d.published === null ? ("added" as const) : d.now === null ? ("removed" as const) : ("changed" as const) }));
  const wanted = new Map<string, Set<string>>();
  for (const d of revised) for (const [type, eid] of entitiesOf(d)) (wanted.get(type) ?? wanted.set(type, new Set()).get(type)!).add(eid);
  // what changed since: the entries after the snapshot's head (records without one: after publishing)
  // (a new record published on an empty log has head 0, as its moment says)
  const since = moment.auditSeq === null ? gt(auditLog.at, p.publishedAt) : gt(auditLog.seq, moment.auditSeq);
  const changes: TChangeEntry[] = wanted.size
    ? await db
        .select({ seq: auditLog.seq, entityType: auditLog.entityType, entityId: auditLog.entityId, action: auditLog.action, at: auditLog.at, actorName: users.name, before: auditLog.before, after: auditLog.after })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(and(since, or(...[...wanted].map(([type, ids]) => and(eq(auditLog.entityType, type), inArray(auditLog.entityId, [...ids]))))))
        .orderBy(auditLog.seq)
    : [];
  const rows: TRowRevision[] = revised.map((d) => {
    const mine = new Set(entitiesOf(d).map(([type, eid]) => `${type}:${eid}`));
    return { ...d, changes: changes.filter((c) => mine.has(`${c.entityType}:${c.entityId}`)) };
  });
  const auditNames: TAuditNames = await resolveAuditNames(db, actor, changes);
  return {
    id: p.id,
    unit: { code: pub.unitCode, name: pub.unitName },
    from: p.periodFrom,
    to: p.periodTo,
    /** the publication's moment, to the microsecond */
    asOf: pub.asOf,
    publishedAt: p.publishedAt,
    publishedBy: pub.publisher,
    hash: p.hash,
    definitionVersion: p.definitionVersion,
    currentDefinitionVersion: DEFINITION_VERSION,
    integrity,
    intact: integrity.content && integrity.audit,
    /** figures recomputed as of the publication moment that differ from the published ones (0: reproduced) */
    reproducedDifferences: reproduced,
    published,
    now,
    figures,
    rows,
    /** published before signings, targets and units were stored with the record: only tranches compare */
    legacyRows: Array.isArray(p.rows),
    names: auditNames,
    unitNames: Object.fromEntries(unitRows.map((u) => [u.code, u.name])),
  };
}
export type TComparison = Awaited<ReturnType<typeof comparePublished>>;
