import { aliasedTable, and, desc, eq, gte, isNotNull, isNull, like, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { periodLocks, units, users } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { ZFindLocks, type TFindLocks } from "./lock-fields";

const lockers = aliasedTable(users, "lockers");
const reopeners = aliasedTable(users, "reopeners");

/** A lock's unit is the unit at `path` or one of its ancestors: the lock binds that unit. */
const bindsPath = (path: string) => sql`${path}::text like ${units.path} || '%'`;

/**
 * Locks the actor may see, newest period first: those of units in their scope, and those of the
 * units above them (a city must see the province's lock that binds it). With `unit` (a unit of
 * the scope; any other answers with an empty list, as a missing one): the locks binding that unit
 * and those inside its subtree. With `from`/`to`: locks whose period overlaps those dates.
 * Reopened locks stay listed, with who reopened them, when and why.
 */
export async function findLocks(db: Db, actor: Pick<TActor, "unitPath">, input: TFindLocks = {}) {
  const f = ZFindLocks.parse(input);
  let unitFilter;
  if (f.unit) {
    const [u] = await db
      .select({ path: units.path })
      .from(units)
      .where(and(eq(units.code, f.unit), like(units.path, subtreePattern(actor.unitPath))));
    if (!u) return [];
    unitFilter = or(bindsPath(u.path), like(units.path, subtreePattern(u.path)));
  }
  const rows = await db
    .select({
      id: periodLocks.id,
      unitId: periodLocks.unitId,
      unitCode: units.code,
      unitName: units.name,
      unitPath: units.path,
      kind: periodLocks.kind,
      periodStart: periodLocks.periodStart,
      periodEnd: periodLocks.periodEnd,
      lockedBy: periodLocks.lockedBy,
      lockedByName: lockers.name,
      lockedAt: periodLocks.lockedAt,
      reopenedBy: periodLocks.reopenedBy,
      reopenedByName: reopeners.name,
      reopenedAt: periodLocks.reopenedAt,
      reopenReason: periodLocks.reopenReason,
      version: periodLocks.version,
    })
    .from(periodLocks)
    .innerJoin(units, eq(units.id, periodLocks.unitId))
    .leftJoin(lockers, eq(lockers.id, periodLocks.lockedBy))
    .leftJoin(reopeners, eq(reopeners.id, periodLocks.reopenedBy))
    .where(
      and(
        or(bindsPath(actor.unitPath), like(units.path, subtreePattern(actor.unitPath))),
        unitFilter,
        f.from ? gte(periodLocks.periodEnd, f.from) : undefined,
        f.to ? lte(periodLocks.periodStart, f.to) : undefined,
        f.status === "active" ? isNull(periodLocks.reopenedAt) : f.status === "reopened" ? isNotNull(periodLocks.reopenedAt) : undefined,
      ),
    )
    .orderBy(desc(periodLocks.periodStart), desc(periodLocks.kind), desc(periodLocks.lockedAt))
    .limit(500);
  return rows.map(({ unitPath, ...r }) => ({
    ...r,
    active: r.reopenedAt === null,
    /** the lock's unit lies in the actor's scope (an admin may reopen it); else it is set above them */
    inScope: unitPath.startsWith(actor.unitPath),
  }));
}
export type TLockRow = Awaited<ReturnType<typeof findLocks>>[number];
