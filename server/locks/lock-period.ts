import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { periodLocks } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { lockPeriodValues, lockRange } from "@/lib/period-lock";
import type { TActor } from "@/server/auth/actor";
import { can } from "@/server/auth/permissions";
import { currentAuditHead } from "@/server/audit/audit-head";
import { writeAudit, writeTime } from "@/server/audit/write-audit";
import { AppError, forbidden, invalid } from "@/server/lib/errors";
import { getUnit } from "@/server/units/units";
import { LOCK_GATE } from "./assert-unlocked";
import { ZLockPeriod, type TLockPeriod } from "./lock-fields";

/**
 * A leader or admin locks a month or quarter for a unit of their scope and its subtree, once the
 * period is over and its figures are reported. From then on the guard (assertUnlocked) refuses any
 * write that would change a figure of the period there, until an admin reopens it. A period
 * reopened earlier may be locked again: that is a new lock, the reopened one stays as history.
 */
export async function lockPeriod(db: Db, actor: TActor, input: TLockPeriod, now?: Date) {
  if (!can(actor.role, "period.lock")) throw forbidden();
  const data = ZLockPeriod.parse(input);
  const period = lockRange(data.kind, data.year, data.n);
  // a running (or future) period has no reported figures yet, and locking it would stop today's reports
  if (period.to >= todayCN(now)) throw invalid({ n: "errors.lock.notEnded" });
  return db.transaction(async (tx) => {
    const unit = await getUnit(tx, actor, data.unit);
    // exclusive: wait for guarded writes in flight; later ones wait for this lock and then see it
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_GATE})`);
    const [dup] = await tx
      .select({ id: periodLocks.id })
      .from(periodLocks)
      .where(and(eq(periodLocks.unitId, unit.id), eq(periodLocks.kind, data.kind), eq(periodLocks.periodStart, period.from), isNull(periodLocks.reopenedAt)));
    if (dup) throw new AppError("DUPLICATE", { key: "errors.lock.duplicate", values: { unit: unit.name, ...lockPeriodValues(data.kind, period.from) } });
    const [row] = await tx
      .insert(periodLocks)
      .values({ unitId: unit.id, kind: data.kind, periodStart: period.from, periodEnd: period.to, lockedBy: actor.id, lockedAt: writeTime(now), ...(await currentAuditHead(tx)) })
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "period.lock", entityType: "period_lock", entityId: row!.id, unitId: unit.id, after: row });
    return row!;
  });
}
