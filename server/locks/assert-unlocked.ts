// 统计期锁定, the guard: every write that would change a figure of a locked period calls
// assertUnlocked inside its own transaction, before it writes anything. A lock on a unit binds the
// unit and its whole subtree, so a lock on 辽宁省 binds every city and zone below it.
import { aliasedTable, and, asc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { periodLocks, projects, tranches, units, users } from "@/db/schema";
import type { TPeriodKind } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { lockPeriodValues } from "@/lib/period-lock";
import type { TActor } from "@/server/auth/actor";
import { AppError, type TMessage } from "@/server/lib/errors";

/**
 * Advisory lock key of the lock gate. Guarded writes hold it shared, lockPeriod holds it
 * exclusively: a lock waits for the writes already past their check, and writes that come after
 * wait for the lock to commit and then see it. Take it before the first audit entry of the
 * transaction (the audit chain has its own lock): the guard runs before anything is written.
 */
export const LOCK_GATE = 727002;

export type TActiveLock = {
  id: string;
  unitId: string;
  unitName: string;
  unitPath: string;
  kind: TPeriodKind;
  periodStart: string;
  periodEnd: string;
  lockedAt: Date;
  lockedByName: string | null;
};

export type TLockTarget = {
  /** the unit(s) the figures belong to: e.g. a project's old and new unit */
  unitId: string | string[];
  /** business dates whose period's figures the write changes; empty values are ignored */
  dates: Array<string | null | undefined>;
};

const lockers = aliasedTable(users, "lockers");

/** Active (not reopened) locks whose period overlaps [from, to], earliest period first. */
export async function findActiveLocks(db: Db, range: { from: string; to: string }): Promise<TActiveLock[]> {
  return db
    .select({
      id: periodLocks.id,
      unitId: periodLocks.unitId,
      unitName: units.name,
      unitPath: units.path,
      kind: periodLocks.kind,
      periodStart: periodLocks.periodStart,
      periodEnd: periodLocks.periodEnd,
      lockedAt: periodLocks.lockedAt,
      lockedByName: lockers.name,
    })
    .from(periodLocks)
    .innerJoin(units, eq(units.id, periodLocks.unitId))
    .leftJoin(lockers, eq(lockers.id, periodLocks.lockedBy))
    .where(and(isNull(periodLocks.reopenedAt), lte(periodLocks.periodStart, range.to), gte(periodLocks.periodEnd, range.from)))
    .orderBy(asc(periodLocks.periodStart), asc(units.path), asc(periodLocks.lockedAt));
}

/** The first lock that binds one of the unit paths (the unit itself or an ancestor) on one of the dates. */
export function bindingLock(locks: TActiveLock[], unitPaths: string[], dates: string[]): TActiveLock | undefined {
  return locks.find((l) => unitPaths.some((p) => p.startsWith(l.unitPath)) && dates.some((d) => d >= l.periodStart && d <= l.periodEnd));
}

/**
 * The message naming the lock: "统计期已锁定：辽宁省 2026年第1季度（王建国 于 2026-04-10 锁定）…".
 * A lock the viewer may not see (neither in nor above their unit: e.g. another city's project of
 * the same investor) is refused without naming it.
 */
export function lockMessage(lock: TActiveLock, viewer?: Pick<TActor, "unitPath">): TMessage {
  if (viewer && !viewer.unitPath.startsWith(lock.unitPath) && !lock.unitPath.startsWith(viewer.unitPath))
    return { key: "errors.lock.lockedElsewhere" };
  return {
    key: "errors.lock.locked",
    values: { unit: lock.unitName, ...lockPeriodValues(lock.kind, lock.periodStart), by: lock.lockedByName ?? "—", at: todayCN(lock.lockedAt) },
  };
}

export function lockedError(lock: TActiveLock, viewer?: Pick<TActor, "unitPath">): AppError {
  const msg = lockMessage(lock, viewer);
  return new AppError("LOCKED", msg, undefined, msg.key === "errors.lock.locked" ? { lockId: lock.id } : undefined);
}

const isDate = (d: string | null | undefined): d is string => !!d;

/** For each target, the first active lock that binds it, if any. Reads only: the guard is assertUnlocked. */
export async function findBindingLocks(db: Db, targets: TLockTarget[]): Promise<Array<TActiveLock | undefined>> {
  const list = targets.map((t) => ({ unitIds: [t.unitId].flat(), dates: [...new Set(t.dates.filter(isDate))] }));
  const all = list.flatMap((t) => t.dates).sort();
  if (!all.length) return list.map(() => undefined);
  const locks = await findActiveLocks(db, { from: all[0]!, to: all.at(-1)! });
  if (!locks.length) return list.map(() => undefined);
  const ids = [...new Set(list.flatMap((t) => t.unitIds))];
  const unitRows = ids.length ? await db.select({ id: units.id, path: units.path }).from(units).where(inArray(units.id, ids)) : [];
  const pathOf = new Map(unitRows.map((u) => [u.id, u.path]));
  return list.map((t) => bindingLock(locks, t.unitIds.map((id) => pathOf.get(id)).filter(isDate), t.dates));
}

/**
 * Refuse (AppError LOCKED) when an active lock of a target's unit or of any ancestor covers one
 * of its dates. Call inside the write's transaction, before writing. `viewer`: the actor, so a
 * lock outside their sight is not named.
 */
export async function assertUnlocked(tx: Db, targets: TLockTarget | TLockTarget[], viewer?: Pick<TActor, "unitPath">): Promise<void> {
  const list = (Array.isArray(targets) ? targets : [targets]).filter((t) => t.dates.some(isDate));
  if (!list.length) return;
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${LOCK_GATE})`);
  const lock = (await findBindingLocks(tx, list)).find((l) => l);
  if (lock) throw lockedError(lock, viewer);
}

/**
 * The dates that make each project count in some period's figures: the arrival dates of its
 * verified tranches (funds, projects), of its pending ones (awaiting verification) unless
 * `pending: false`, and its signing date (signed) unless `signing: false`. Moving a project to
 * another unit, or changing what it counts as, changes the figures of every one of those periods.
 */
export async function projectFigureDates(db: Db, projectIds: string[], opts: { pending?: boolean; signing?: boolean } = {}) {
  const out = new Map<string, string[]>(projectIds.map((id) => [id, []]));
  if (!projectIds.length) return out;
  const statuses = opts.pending === false ? (["verified"] as const) : (["verified", "pending"] as const);
  const rows = await db
    .selectDistinct({ projectId: tranches.projectId, arrivedOn: tranches.arrivedOn })
    .from(tranches)
    .where(and(inArray(tranches.projectId, projectIds), inArray(tranches.status, [...statuses])));
  for (const r of rows) out.get(r.projectId)!.push(r.arrivedOn);
  if (opts.signing !== false) {
    const signed = await db.select({ id: projects.id, signedOn: projects.signedOn }).from(projects).where(inArray(projects.id, projectIds));
    for (const p of signed) if (p.signedOn) out.get(p.id)!.push(p.signedOn);
  }
  return out;
}
