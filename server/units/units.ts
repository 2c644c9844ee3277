import { and, asc, eq, like, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { investors, projects, units } from "@/db/schema";
import { UNIT_KINDS } from "@/lib/domain";
import type { TActor, TAdminActor } from "@/server/auth/actor";
import { pathInScope, subtreePattern } from "@/server/auth/scope";
import { writeAudit } from "@/server/audit/write-audit";
import { reclassifyProject } from "@/server/investors/investors";
import { codesFromPath, deriveOriginClass } from "@/lib/origin-class";
import { assertUnlocked, projectFigureDates, type TLockTarget } from "@/server/locks/assert-unlocked";
import { invalid, notFound } from "@/server/lib/errors";
import { isUuid } from "@/server/lib/sql";
import { updateVersioned, ZVersion } from "@/server/lib/versioned-update";

export type TUnit = typeof units.$inferSelect & { depth: number };

const withDepth = (u: typeof units.$inferSelect): TUnit => ({ ...u, depth: u.path.split("/").length - 2 });

/** Every unit in the actor's scope, in tree order. */
export async function findUnits(db: Db, actor: Pick<TActor, "unitPath">): Promise<TUnit[]> {
  const rows = await db
    .select()
    .from(units)
    .where(like(units.path, subtreePattern(actor.unitPath)))
    .orderBy(asc(units.path));
  return rows.map(withDepth);
}

/** One unit in scope, by id or code; out of scope behaves as missing. */
export async function getUnit(db: Db, actor: Pick<TActor, "unitPath">, idOrCode: string): Promise<TUnit> {
  const byId = isUuid(idOrCode);
  const [row] = await db
    .select()
    .from(units)
    .where(and(byId ? eq(units.id, idOrCode) : eq(units.code, idOrCode), like(units.path, subtreePattern(actor.unitPath))));
  if (!row) throw notFound("unit");
  return withDepth(row);
}

export const ZUnitCode = z.string().trim().regex(/^[0-9A-Za-z-]{2,20}$/, "errors.unit.codeFormat");
export const ZUnitName = z.string().trim().min(2).max(60);

export const ZCreateUnit = z.object({
  code: ZUnitCode,
  name: ZUnitName,
  kind: z.enum(UNIT_KINDS),
  parentId: z.uuid(),
});
export type TCreateUnit = z.infer<typeof ZCreateUnit>;

async function assertUnique(db: Db, code: string, name: string, exceptId?: string) {
  const clash = await db
    .select({ code: units.code, name: units.name })
    .from(units)
    .where(and(or(eq(units.code, code), eq(units.name, name)), exceptId ? ne(units.id, exceptId) : undefined));
  const fields: Record<string, string> = {};
  for (const c of clash) {
    if (c.code === code) fields.code = "errors.unit.codeTaken";
    if (c.name === name) fields.name = "errors.unit.nameTaken";
  }
  if (Object.keys(fields).length) throw invalid(fields);
}

export async function createUnit(db: Db, actor: TAdminActor, input: TCreateUnit) {
  return db.transaction(async (tx) => {
    const parent = await getUnit(tx, actor, input.parentId);
    await assertUnique(tx, input.code, input.name);
    const [row] = await tx
      .insert(units)
      .values({ code: input.code, name: input.name, kind: input.kind, parentId: parent.id, path: `${parent.path}${input.code}/` })
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "unit.create", entityType: "unit", entityId: row!.id, unitId: row!.id, after: row });
    return withDepth(row!);
  });
}

export const ZUpdateUnit = z.object({
  id: z.uuid(),
  version: ZVersion,
  code: ZUnitCode,
  name: ZUnitName,
  kind: z.enum(UNIT_KINDS),
  parentId: z.uuid().nullable(),
});
export type TUpdateUnit = z.infer<typeof ZUpdateUnit>;

/**
 * Rename, recode or move a unit. Its subtree's paths follow in the same transaction, each unit
 * versioned and audited (figures "as of" a past moment rebuild the tree from these entries), and
 * the projects below get the origin class their new city gives them. Figures are grouped by the
 * live path: moving a unit with funds in a locked period (for the parent it leaves, the one it
 * joins, or an ancestor of either) is refused, as is a recode that reclassifies funds of one.
 */
export async function updateUnit(db: Db, actor: TAdminActor, input: TUpdateUnit) {
  return db.transaction(async (tx) => {
    const before = await getUnit(tx, actor, input.id);
    let parentPath = "";
    if (input.parentId) {
      const parent = await getUnit(tx, actor, input.parentId);
      if (parent.path.startsWith(before.path)) throw invalid({ parentId: "errors.unit.cycle" });
      parentPath = parent.path;
    } else if (before.parentId) {
      throw invalid({ parentId: "errors.unit.parentRequired" });
    }
    if (!pathInScope(parentPath || before.path, actor)) throw notFound("unit");
    await assertUnique(tx, input.code, input.name, input.id);
    const path = `${parentPath}${input.code}/`;
    const moved = path !== before.path ? await planMove(tx, before, input.parentId, path) : null;
    if (moved) await assertUnlocked(tx, moved.guard, actor);
    const { depth: _d, ...beforeRow } = before;
    const after = await updateVersioned(tx, units, input.id, input.version, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      parentId: input.parentId,
      path,
    });
    await writeAudit(tx, { actorId: actor.id, action: "unit.update", entityType: "unit", entityId: input.id, unitId: input.id, before: beforeRow, after });
    if (moved) await applyMove(tx, actor, moved);
    return withDepth(after);
  });
}

export type TMove = Awaited<ReturnType<typeof planMove>>;

/**
 * What a new path changes below the unit, read before anything is written: the subtree's units,
 * the projects whose origin class changes, and `guard`, the figures that move (for assertUnlocked).
 * The importer moves units with it too.
 */
export async function planMove(tx: Db, before: Pick<typeof units.$inferSelect, "id" | "path" | "parentId">, parentId: string | null, path: string) {
  const newPath = (old: string) => `${path}${old.slice(before.path.length)}`;
  const descendants = await tx
    .select()
    .from(units)
    .where(and(like(units.path, `${before.path}%`), ne(units.id, before.id)))
    .orderBy(asc(units.path));
  const rows = await tx
    .select({ project: projects, path: units.path, originRegion: investors.originRegion })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .innerJoin(investors, eq(investors.id, projects.investorId))
    .where(like(units.path, `${before.path}%`));
  const reclassified = rows
    .map((r) => ({ project: r.project, originClass: deriveOriginClass({ capitalType: r.project.capitalType, originRegion: r.originRegion, ...codesFromPath(newPath(r.path)) }) }))
    .filter((r) => r.originClass !== r.project.originClass);

  const live = rows.filter((r) => !r.project.deletedAt).map((r) => r.project);
  const guard: TLockTarget[] = [];
  if (parentId !== before.parentId) {
    // every figure of the subtree leaves one parent's totals and joins the other's
    const dates = await projectFigureDates(tx, live.map((p) => p.id));
    guard.push({ unitId: [before.parentId, parentId].filter((id): id is string => !!id), dates: [...dates.values()].flat() });
  }
  const counted = reclassified.filter((r) => !r.project.deletedAt).map((r) => r.project);
  const verified = await projectFigureDates(tx, counted.map((p) => p.id), { pending: false, signing: false });
  for (const p of counted) guard.push({ unitId: p.unitId, dates: verified.get(p.id)! });
  return { descendants, reclassified, newPath, guard };
}

/** The subtree follows its unit (moved just before): each unit versioned and audited, each project reclassified. */
export async function applyMove(tx: Db, actor: TAdminActor, moved: TMove) {
  const rows: Array<typeof units.$inferSelect> = [];
  for (const d of moved.descendants) {
    const [row] = await tx
      .update(units)
      .set({ path: moved.newPath(d.path), version: sql`${units.version} + 1`, updatedAt: sql`now()` })
      .where(eq(units.id, d.id))
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "unit.update", entityType: "unit", entityId: d.id, unitId: d.id, before: d, after: row });
    rows.push(row!);
  }
  for (const r of moved.reclassified) await reclassifyProject(tx, actor, r.project, r.originClass);
  return rows;
}

export const ZCreateRootUnit = z.object({ code: ZUnitCode, name: ZUnitName });

/** The first unit of an empty installation (the home province), from the CLI. */
export async function createRootUnit(db: Db, input: z.input<typeof ZCreateRootUnit>) {
  const data = ZCreateRootUnit.parse(input);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: units.id }).from(units).where(sql`${units.parentId} is null`);
    if (existing) throw invalid({ parentId: "errors.unit.parentRequired" });
    const [row] = await tx.insert(units).values({ code: data.code, name: data.name, kind: "province", path: `${data.code}/` }).returning();
    await writeAudit(tx, { actorId: null, action: "unit.create", entityType: "unit", entityId: row!.id, unitId: row!.id, after: row });
    return withDepth(row!);
  });
}
