// 发布数据: a leader freezes a period's figures. The stored record (result, parameters, definition
// version, the tranches behind it, and a hash over all of it) never changes; comparing it with a
// recomputation shows every revision since, row by row, with who changed what.
import { and, desc, eq, gt, inArray, like, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { auditLog, publishedFigures, units, users } from "@/db/schema";
import { previousYear, yearToEnd } from "@/lib/periods";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { writeAudit } from "@/server/audit/write-audit";
import { canonicalJson, sha256 } from "@/server/lib/canonical-json";
import { notFound } from "@/server/lib/errors";
import { getUnit } from "@/server/units/units";
import { ZDate } from "@/server/projects/project-fields";
import { computeHeadline, DEFINITION_VERSION, type THeadline } from "./headline";

export const ZPublish = z.object({ unit: z.string().min(2).max(40), from: ZDate, to: ZDate }).refine((v) => v.from <= v.to, { message: "errors.period.order", path: ["to"] });

export type TFigureRow = {
  id: string;
  project_id: string;
  project_code: string;
  unit: string;
  capital_type: string;
  origin_class: string;
  amount: string;
  arrived_on: string;
};

/** The verified tranches behind a headline: the period, its YoY base and the year to its end. */
async function contributingRows(db: Db, unitPath: string, from: string, to: string): Promise<TFigureRow[]> {
  const prev = previousYear({ from, to });
  const ytd = yearToEnd({ from, to });
  return queryRows<TFigureRow>(
    db,
    sql`select t.id, t.project_id, p.code as project_code, u.code as unit, p.capital_type::text, p.origin_class::text,
        t.amount::text, t.arrived_on::text
      from tranches t join projects p on p.id = t.project_id join units u on u.id = p.unit_id
      where t.status = 'verified' and p.deleted_at is null and u.path like ${`${unitPath}%`}
        and (t.arrived_on between ${from} and ${to} or t.arrived_on between ${prev.from} and ${prev.to} or t.arrived_on between ${ytd.from} and ${ytd.to})
      order by t.id`,
  );
}

const hashOf = (r: { definitionVersion: string; params: unknown; result: unknown; rows: unknown; asOf: string }) =>
  sha256(canonicalJson({ definition_version: r.definitionVersion, params: r.params, result: r.result, rows: r.rows, as_of: r.asOf }));

export async function publishFigures(db: Db, actor: TActor, input: z.input<typeof ZPublish>) {
  const data = ZPublish.parse(input);
  return db.transaction(async (tx) => {
    const unit = await getUnit(tx, actor, data.unit);
    const [{ now }] = (await queryRows<{ now: string }>(tx, sql`select now()::text as now`)) as [{ now: string }];
    const asOf = new Date(now);
    const result = await computeHeadline(tx, actor, { unit: unit.code, from: data.from, to: data.to });
    result.as_of = asOf.toISOString();
    const rows = await contributingRows(tx, unit.path, data.from, data.to);
    const params = { unit: unit.code, from: data.from, to: data.to };
    const hash = hashOf({ definitionVersion: DEFINITION_VERSION, params, result, rows, asOf: asOf.toISOString() });
    const [row] = await tx
      .insert(publishedFigures)
      .values({ unitId: unit.id, periodFrom: data.from, periodTo: data.to, asOf, definitionVersion: DEFINITION_VERSION, params, result, rows, hash, publishedBy: actor.id, publishedAt: asOf })
      .returning({ id: publishedFigures.id, hash: publishedFigures.hash, publishedAt: publishedFigures.publishedAt });
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
function diffLeaves(a: unknown, b: unknown, path = ""): TLeaf[] {
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) && Array.isArray(b)) {
      // children: match by unit code
      const key = (x: unknown) => (x as { unit?: string }).unit ?? "";
      const codes = [...new Set([...a.map(key), ...b.map(key)])];
      return codes.flatMap((c) => diffLeaves(a.find((x) => key(x) === c), b.find((x) => key(x) === c), `${path}[${c}]`));
    }
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffLeaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return a === b ? [] : [{ path, published: a ?? null, now: b ?? null }];
}

/**
 * Recompute a published record now and list what changed since: figure by figure, and tranche by
 * tranche with the audit entries (who, when, what) written after publication.
 */
export async function comparePublished(db: Db, actor: Pick<TActor, "unitPath">, id: string) {
  const [pub] = await db
    .select({ p: publishedFigures, unitPath: units.path, unitCode: units.code, unitName: units.name, publisher: users.name })
    .from(publishedFigures)
    .innerJoin(units, eq(units.id, publishedFigures.unitId))
    .leftJoin(users, eq(users.id, publishedFigures.publishedBy))
    .where(and(eq(publishedFigures.id, id), like(units.path, subtreePattern(actor.unitPath))));
  if (!pub) throw notFound("published");
  const p = pub.p;
  const intact =
    hashOf({ definitionVersion: p.definitionVersion, params: p.params, result: p.result, rows: p.rows, asOf: p.asOf.toISOString() }) === p.hash;

  const now = await computeHeadline(db, actor, { unit: pub.unitCode, from: p.periodFrom, to: p.periodTo });
  const published = p.result as THeadline;
  const ignore = new Set(["as_of", "definition_version"]);
  const figures = diffLeaves(published, now).filter((d) => !ignore.has(d.path));

  const before = new Map((p.rows as TFigureRow[]).map((r) => [r.id, r]));
  const after = new Map((await contributingRows(db, pub.unitPath, p.periodFrom, p.periodTo)).map((r) => [r.id, r]));
  const rows: Array<{ kind: "added" | "removed" | "changed"; published: TFigureRow | null; now: TFigureRow | null }> = [];
  for (const [rid, r] of after) {
    const old = before.get(rid);
    if (!old) rows.push({ kind: "added", published: null, now: r });
    else if (canonicalJson(old) !== canonicalJson(r)) rows.push({ kind: "changed", published: old, now: r });
  }
  for (const [rid, r] of before) if (!after.has(rid)) rows.push({ kind: "removed", published: r, now: null });

  const ids = [...new Set(rows.flatMap((r) => [r.published?.id, r.now?.id, r.published?.project_id, r.now?.project_id]).filter((x): x is string => !!x))];
  const changes = ids.length
    ? await db
        .select({ entityType: auditLog.entityType, entityId: auditLog.entityId, action: auditLog.action, at: auditLog.at, actorName: users.name, before: auditLog.before, after: auditLog.after })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(and(gt(auditLog.at, p.publishedAt), inArray(auditLog.entityId, ids), or(eq(auditLog.entityType, "tranche"), eq(auditLog.entityType, "project"))))
        .orderBy(auditLog.seq)
    : [];
  return {
    id: p.id,
    unit: { code: pub.unitCode, name: pub.unitName },
    from: p.periodFrom,
    to: p.periodTo,
    publishedAt: p.publishedAt,
    publishedBy: pub.publisher,
    hash: p.hash,
    definitionVersion: p.definitionVersion,
    currentDefinitionVersion: DEFINITION_VERSION,
    intact,
    published,
    now,
    figures,
    rows: rows.map((r) => ({
      ...r,
      changes: changes
        .filter((c) => c.entityId === (r.now ?? r.published)!.id || c.entityId === (r.now ?? r.published)!.project_id)
        .map((c) => ({ ...c, fields: changedFields(c.before, c.after) })),
    })),
  };
}

const WATCHED = ["amount", "arrivedOn", "status", "unitId", "capitalType", "originClass", "deletedAt", "verifiedAt"];
function changedFields(before: unknown, after: unknown) {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return WATCHED.filter((k) => k in a || k in b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => ({ field: k, from: b[k] ?? null, to: a[k] ?? null }));
}
