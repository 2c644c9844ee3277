import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { targets, units } from "@/db/schema";
import { TARGET_METRICS } from "@/lib/domain";
import type { TActor, TAdminActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError, invalid, staleVersion, type TMessage } from "@/server/lib/errors";
import { assertUnlocked, lockMessage, type TActiveLock, type TLockTarget } from "@/server/locks/assert-unlocked";
import { ZVersion } from "@/server/lib/versioned-update";
import { getUnit } from "@/server/units/units";
import { ZAmount } from "@/server/projects/project-fields";
import { dec } from "@/lib/money";

export const ZFindTargets = z.object({ unit: z.string().max(40), year: z.number().int().min(2000).max(2100) });

/** Targets of a unit (in scope) and its children for a year, one row per unit. */
export async function findTargets(db: Db, actor: Pick<TActor, "unitPath">, input: z.input<typeof ZFindTargets>) {
  const f = ZFindTargets.parse(input);
  const root = await getUnit(db, actor, f.unit);
  const rows = await db
    .select({ id: units.id, code: units.code, name: units.name, path: units.path })
    .from(units)
    .where(or(eq(units.id, root.id), eq(units.parentId, root.id)))
    .orderBy(asc(units.path));
  const values = await db
    .select()
    .from(targets)
    .where(and(eq(targets.year, f.year), inArray(targets.unitId, rows.map((r) => r.id))));
  return rows.map((u) => ({
    ...u,
    values: Object.fromEntries(
      TARGET_METRICS.map((m) => {
        const v = values.find((x) => x.unitId === u.id && x.metric === m);
        return [m, v ? { value: v.value, version: v.version } : null];
      }),
    ) as Record<(typeof TARGET_METRICS)[number], { value: string; version: number } | null>,
  }));
}

/** What a target of the year is guarded by: every month of it, so any month or quarter lock is met. */
export function targetLockTarget(unitId: string, year: number): TLockTarget {
  return { unitId, dates: Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}-01`) };
}

const asTargetLocked = (msg: TMessage): TMessage => (msg.key === "errors.lock.locked" ? { ...msg, key: "errors.lock.targetLocked" } : msg);

/** The lock that binds a target, named as a target's lock (errors.lock.targetLocked). */
export const targetLockMessage = (lock: TActiveLock, viewer?: Pick<TActor, "unitPath">) => asTargetLocked(lockMessage(lock, viewer));

/** assertUnlocked for targets: the refusal says the target sets the locked period's progress. */
export async function assertTargetsUnlocked(tx: Db, list: TLockTarget[], viewer?: Pick<TActor, "unitPath">) {
  await assertUnlocked(tx, list, viewer).catch((err: unknown) => {
    if (err instanceof AppError && err.msg.key === "errors.lock.locked") throw new AppError("LOCKED", asTargetLocked(err.msg), undefined, err.data);
    throw err;
  });
}

export const ZSetTargets = z.object({
  year: z.number().int().min(2000).max(2100),
  entries: z
    .array(
      z.object({
        unitId: z.uuid(),
        metric: z.enum(TARGET_METRICS),
        value: ZAmount, // 0 means "no target" (progress is then not computed)
        version: ZVersion.nullable(), // null for a new target
      }),
    )
    .min(1)
    .max(500),
});

/**
 * Set annual targets in one transaction; each change is audited, stale edits refused. A target is
 * the denominator of its unit's target progress (target_progress_pct) in every period of its
 * year: while a lock of the unit, or of an ancestor, is active in that year, it cannot change.
 */
export async function setTargets(db: Db, actor: TAdminActor, input: z.input<typeof ZSetTargets>) {
  const data = ZSetTargets.parse(input);
  return db.transaction(async (tx) => {
    const changes = [];
    for (const e of data.entries) {
      await getUnit(tx, actor, e.unitId);
      if (e.metric === "signed_projects" && e.value && !/^\d+(\.0+)?$/.test(e.value)) throw invalid({ [`${e.unitId}.${e.metric}`]: "errors.target.wholeNumber" });
      const [existing] = await tx.select().from(targets).where(and(eq(targets.unitId, e.unitId), eq(targets.year, data.year), eq(targets.metric, e.metric)));
      if (existing && existing.version !== e.version) throw staleVersion();
      if (!existing && e.version !== null) throw staleVersion();
      if (existing && dec(existing.value).eq(e.value)) continue;
      changes.push({ ...e, existing });
    }
    // checked before the first write
    const unitIds = [...new Set(changes.map((c) => c.unitId))];
    await assertTargetsUnlocked(tx, unitIds.map((unitId) => targetLockTarget(unitId, data.year)), actor);
    for (const { existing, ...e } of changes) {
      if (!existing) {
        const [row] = await tx.insert(targets).values({ unitId: e.unitId, year: data.year, metric: e.metric, value: e.value, updatedBy: actor.id }).returning();
        await writeAudit(tx, { actorId: actor.id, action: "target.set", entityType: "target", entityId: row!.id, unitId: e.unitId, after: row });
      } else {
        const [row] = await tx
          .update(targets)
          .set({ value: e.value, updatedBy: actor.id, version: sql`${targets.version} + 1`, updatedAt: sql`now()` })
          .where(and(eq(targets.id, existing.id), eq(targets.version, existing.version)))
          .returning();
        if (!row) throw staleVersion();
        await writeAudit(tx, { actorId: actor.id, action: "target.set", entityType: "target", entityId: row.id, unitId: e.unitId, before: existing, after: row });
      }
    }
    return { changed: changes.length };
  });
}
