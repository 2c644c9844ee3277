// 发布数据: a leader freezes a period's figures. The stored record (result, parameters, definition
// version, the rows behind it, and a hash over all of it) never changes (an append-only trigger,
// migration 0005); comparing it with a recomputation shows every revision since, row by row, with
// who changed what.
import { and, desc, eq, gt, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { auditLog, publishedFigures, units, users } from "@/db/schema";
import type { TAuditNames } from "@/lib/audit-diff";
import { previousYear, yearToEnd } from "@/lib/periods";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { currentAuditHead } from "@/server/audit/audit-head";
import { resolveAuditNames } from "@/server/audit/audit-names";
import { writeAudit } from "@/server/audit/write-audit";
import { canonicalJson, sha256 } from "@/server/lib/canonical-json";
import { notFound } from "@/server/lib/errors";
import { getUnit } from "@/server/units/units";
import { ZDate } from "@/server/projects/project-fields";
import { signings, trancheStates } from "./as-of";
import { computeHeadline, DEFINITION_VERSION, loadTargets, scopeCtes, subtreeOf, type THeadline } from "./headline";

export const ZPublish = z.object({ unit: z.string().min(2).max(40), from: ZDate, to: ZDate }).refine((v) => v.from <= v.to, { message: "errors.period.order", path: ["to"] });

export type TFigureRow = { id: string; project_id: string; project_code: string; unit: string; capital_type: string; origin_class: string; amount: string; arrived_on: string };
export type TPendingRow = { id: string; project_id: string; project_code: string; unit: string; capital_type: string; amount: string; arrived_on: string };
export type TSigningRow = { project_id: string; project_code: string; unit: string; capital_type: string; signed_on: string; signed_amount: string; event_id: string };
export type TTargetRow = { id: string; unit: string; metric: string; value: string };
export type TUnitRow = { id: string; code: string; name: string; parent: string | null };

/** Everything a headline is computed from, row by row: what a revision can change. */
export type TBasis = { tranches: TFigureRow[]; pending: TPendingRow[]; signings: TSigningRow[]; targets: TTargetRow[]; units: TUnitRow[] };
export type TBasisKind = keyof TBasis;
const BASIS_KINDS = ["tranches", "pending", "signings", "targets", "units"] as const satisfies readonly TBasisKind[];

/** The rows behind the headline of a unit subtree for a period (as of a moment, like the figures). */
export async function headlineBasis(db: Db, rootId: string, from: string, to: string, asOf: Date | null = null): Promise<TBasis> {
  const prev = previousYear({ from, to });
  const ytd = yearToEnd({ from, to });
  const withState = (body: SQL) => sql`with ${scopeCtes(rootId, asOf)}, ts as (${trancheStates(asOf)}) ${body}`;
  const [tranches, pending, signed, tree] = await Promise.all([
    queryRows<TFigureRow>(
      db,
      withState(sql`select t.id, t.project_id, pa.code as project_code, uu.code as unit, pa.capital_type, pa.origin_class, t.amount::text as amount, t.arrived_on::text as arrived_on
        from ts t join pa on pa.id = t.project_id join su on su.unit_id = pa.unit_id join ut uu on uu.id = pa.unit_id
        where t.verified and (t.arrived_on between ${from} and ${to} or t.arrived_on between ${prev.from} and ${prev.to} or t.arrived_on between ${ytd.from} and ${ytd.to})
        order by t.id`),
    ),
    queryRows<TPendingRow>(
      db,
      withState(sql`select t.id, t.project_id, pa.code as project_code, uu.code as unit, pa.capital_type, t.amount::text as amount, t.arrived_on::text as arrived_on
        from ts t join pa on pa.id = t.project_id join su on su.unit_id = pa.unit_id join ut uu on uu.id = pa.unit_id
        where t.pending and t.arrived_on between ${from} and ${to}
        order by t.id`),
    ),
    queryRows<TSigningRow>(
      db,
      sql`with ${scopeCtes(rootId, asOf)}
        select s.project_id, pa.code as project_code, uu.code as unit, pa.capital_type, s.signed_on::text as signed_on, s.signed_amount::text as signed_amount, s.event_id
        from (${signings(asOf)}) s join pa on pa.id = s.project_id join su on su.unit_id = pa.unit_id join ut uu on uu.id = pa.unit_id
        where s.signed_on between ${ytd.from < from ? ytd.from : from} and ${to}
        order by s.project_id`,
    ),
    queryRows<TUnitRow>(
      db,
      sql`with ${scopeCtes(rootId, asOf)}
        select ut.id, ut.code, ut.name, pu.code as parent from su join ut on ut.id = su.unit_id left join ut pu on pu.id = ut.parent_id order by ut.id`,
    ),
  ]);
  const near = await subtreeOf(db, rootId, asOf);
  const targetMap = await loadTargets(db, near.map((u) => u.id), Number(to.slice(0, 4)), asOf);
  const codeOf = new Map(near.map((u) => [u.id, u.code]));
  const targets = [...targetMap]
    .map(([key, t]) => {
      const [unitId, metric] = key.split(":") as [string, string];
      return { id: t.id, unit: codeOf.get(unitId)!, metric, value: t.value };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return { tranches, pending, signings: signed, targets, units: tree };
}

/** The hash a publication is stored with (and its `figures.publish` audit entry records). */
export const publicationHash = (r: { definitionVersion: string; params: unknown; result: unknown; rows: unknown; asOf: string }) =>
  sha256(canonicalJson({ definition_version: r.definitionVersion, params: r.params, result: r.result, rows: r.rows, as_of: r.asOf }));

/**
 * Publish in one REPEATABLE READ transaction: the figures, the rows behind them and the moment
 * they are stamped with all come from one snapshot, so a write landing meanwhile cannot make the
 * stored rows disagree with the stored figures.
 */
export async function publishFigures(db: Db, actor: TActor, input: z.input<typeof ZPublish>) {
  const data = ZPublish.parse(input);
  return db.transaction(
    async (tx) => {
      const [{ now }] = (await queryRows<{ now: string }>(tx, sql`select now()::text as now`)) as [{ now: string }];
      const unit = await getUnit(tx, actor, data.unit);
      const asOf = new Date(now);
      const result = await computeHeadline(tx, actor, { unit: unit.code, from: data.from, to: data.to });
      result.as_of = asOf.toISOString();
      const rows = await headlineBasis(tx, unit.id, data.from, data.to);
      const params = { unit: unit.code, from: data.from, to: data.to };
      const hash = publicationHash({ definitionVersion: DEFINITION_VERSION, params, result, rows, asOf: asOf.toISOString() });
      const [row] = await tx
        .insert(publishedFigures)
        .values({ unitId: unit.id, periodFrom: data.from, periodTo: data.to, asOf, definitionVersion: DEFINITION_VERSION, params, result, rows, hash, publishedBy: actor.id, publishedAt: asOf, ...(await currentAuditHead(tx)) })
        .returning({ id: publishedFigures.id, hash: publishedFigures.hash, publishedAt: publishedFigures.publishedAt });
      await writeAudit(tx, { actorId: actor.id, action: "figures.publish", entityType: "published_figures", entityId: row!.id, unitId: unit.id, after: { ...params, hash } });
      return row!;
    },
    { isolationLevel: "repeatable read" },
  );
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

const KEY: Record<TBasisKind, string> = { tranches: "id", pending: "id", signings: "project_id", targets: "id", units: "id" };

function diffRows(kind: TBasisKind, before: Array<Record<string, unknown>>, after: Array<Record<string, unknown>>): Omit<TRowRevision, "changes">[] {
  const k = KEY[kind];
  const was = new Map(before.map((r) => [String(r[k]), r]));
  const is = new Map(after.map((r) => [String(r[k]), r]));
  const out: Omit<TRowRevision, "changes">[] = [];
  for (const [key, r] of is) {
    const old = was.get(key);
    if (!old) out.push({ kind, change: "added", key, published: null, now: r });
    else if (canonicalJson(old) !== canonicalJson(r)) out.push({ kind, change: "changed", key, published: old, now: r });
  }
  for (const [key, r] of was) if (!is.has(key)) out.push({ kind, change: "removed", key, published: r, now: null });
  return out;
}

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
 * what) written after publication. Also checks the record: its content against its hash, and its
 * hash against the one the `figures.publish` audit entry (hash-chained) recorded.
 */
export async function comparePublished(db: Db, actor: Pick<TActor, "unitPath">, id: string) {
  const [pub] = await db
    .select({ p: publishedFigures, unitCode: units.code, unitName: units.name, publisher: users.name })
    .from(publishedFigures)
    .innerJoin(units, eq(units.id, publishedFigures.unitId))
    .leftJoin(users, eq(users.id, publishedFigures.publishedBy))
    .where(and(eq(publishedFigures.id, id), like(units.path, subtreePattern(actor.unitPath))));
  if (!pub) throw notFound("published");
  const p = pub.p;
  const [recorded] = await queryRows<{ hash: string | null }>(
    db,
    sql`select a.after->>'hash' as hash from ${auditLog} a where a.entity_type = 'published_figures' and a.entity_id = ${p.id} and a.action = 'figures.publish' order by a.seq limit 1`,
  );
  const integrity = {
    content: publicationHash({ definitionVersion: p.definitionVersion, params: p.params, result: p.result, rows: p.rows, asOf: p.asOf.toISOString() }) === p.hash,
    audit: !!recorded?.hash && recorded.hash === p.hash,
  };

  const published = p.result as THeadline;
  const ignore = new Set(["as_of", "definition_version"]);
  const [now, then] = await Promise.all([
    computeHeadline(db, actor, { unit: pub.unitCode, from: p.periodFrom, to: p.periodTo }),
    // the same definitions as of the publication moment must give the published figures again
    computeHeadline(db, actor, { unit: pub.unitCode, from: p.periodFrom, to: p.periodTo, asOf: p.asOf }),
  ]);
  const names = new Map([...published.children, ...now.children].map((c) => [c.unit, c.name]));
  const figures = diffLeaves(published, now)
    .filter((d) => !ignore.has(d.path))
    .map((d) => {
      const f = describeFigure(d.path);
      return { ...d, ...f, childName: f.child ? (names.get(f.child) ?? f.child) : null };
    });
  const reproduced = diffLeaves(published, then).filter((d) => !ignore.has(d.path)).length;

  // records published before every row kind was kept hold only the verified tranches
  const stored = (Array.isArray(p.rows) ? { tranches: p.rows } : p.rows) as Partial<TBasis>;
  const current = await headlineBasis(db, p.unitId, p.periodFrom, p.periodTo);
  const diffs = BASIS_KINDS.filter((k) => stored[k]).flatMap((k) => diffRows(k, stored[k] as never, current[k] as never));

  const wanted = new Map<string, Set<string>>();
  for (const d of diffs) for (const [type, eid] of entitiesOf(d)) (wanted.get(type) ?? wanted.set(type, new Set()).get(type)!).add(eid);
  const changes: TChangeEntry[] = wanted.size
    ? await db
        .select({ seq: auditLog.seq, entityType: auditLog.entityType, entityId: auditLog.entityId, action: auditLog.action, at: auditLog.at, actorName: users.name, before: auditLog.before, after: auditLog.after })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(and(gt(auditLog.at, p.publishedAt), or(...[...wanted].map(([type, ids]) => and(eq(auditLog.entityType, type), inArray(auditLog.entityId, [...ids]))))))
        .orderBy(auditLog.seq)
    : [];
  const rows: TRowRevision[] = diffs.map((d) => {
    const mine = new Set(entitiesOf(d).map(([type, eid]) => `${type}:${eid}`));
    return { ...d, changes: changes.filter((c) => mine.has(`${c.entityType}:${c.entityId}`)) };
  });
  const auditNames: TAuditNames = await resolveAuditNames(db, actor, changes);
  // unit codes in the rows, by name: as published, then as now
  const unitNames = Object.fromEntries([...(stored.units ?? []), ...current.units].map((u) => [u.code, u.name]));
  return {
    id: p.id,
    unit: { code: pub.unitCode, name: pub.unitName },
    from: p.periodFrom,
    to: p.periodTo,
    asOf: p.asOf,
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
    unitNames,
  };
}
export type TComparison = Awaited<ReturnType<typeof comparePublished>>;
