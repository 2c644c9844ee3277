import { and, asc, eq, like, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { units } from "@/db/schema";
import { UNIT_KINDS } from "@/lib/domain";
import type { TActor, TAdminActor } from "@/server/auth/actor";
import { pathInScope, subtreePattern } from "@/server/auth/scope";
import { writeAudit } from "@/server/audit/write-audit";
import { invalid, notFound } from "@/server/lib/errors";
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
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrCode);
  const [row] = await db
    .select()
    .from(units)
    .where(and(isUuid ? eq(units.id, idOrCode) : eq(units.code, idOrCode), like(units.path, subtreePattern(actor.unitPath))));
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

/** Rename, recode or move a unit; its subtree's paths follow in the same transaction. */
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
    const after = await updateVersioned(tx, units, input.id, input.version, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      parentId: input.parentId,
      path,
    });
    if (path !== before.path) {
      await tx
        .update(units)
        .set({ path: sql`${path} || substr(${units.path}, ${before.path.length + 1})`, updatedAt: sql`now()` })
        .where(and(like(units.path, `${before.path}%`), ne(units.id, input.id)));
    }
    await writeAudit(tx, { actorId: actor.id, action: "unit.update", entityType: "unit", entityId: input.id, unitId: input.id, before, after });
    return withDepth(after);
  });
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
