import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { periodLocks } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { can } from "@/server/auth/permissions";
import { inScope } from "@/server/auth/scope";
import { writeAudit, writeTime } from "@/server/audit/write-audit";
import { AppError, forbidden, notFound, staleVersion } from "@/server/lib/errors";
import { updateVersioned } from "@/server/lib/versioned-update";
import { ZReopenLock, type TReopenLock } from "./lock-fields";

/**
 * An admin reopens a lock of their scope, with a reason, so corrections can be made. The lock row
 * keeps who locked it and now also who reopened it, when and why (audited); locking the period
 * again creates a new lock.
 */
export async function reopenLock(db: Db, actor: TActor, input: TReopenLock, now?: Date) {
  if (!can(actor.role, "period.reopen")) throw forbidden();
  const data = ZReopenLock.parse(input);
  return db.transaction(async (tx) => {
    // a lock set above the admin's unit binds them but is not theirs to reopen: it answers as missing
    const [before] = await tx.select().from(periodLocks).where(and(eq(periodLocks.id, data.id), inScope(periodLocks.unitId, actor)));
    if (!before) throw notFound("period_lock");
    if (before.version !== data.version) throw staleVersion();
    if (before.reopenedAt) throw new AppError("CONFLICT", { key: "errors.lock.alreadyReopened" });
    const after = await updateVersioned(tx, periodLocks, data.id, data.version, { reopenedBy: actor.id, reopenedAt: writeTime(now), reopenReason: data.reason });
    await writeAudit(tx, { actorId: actor.id, action: "period.reopen", entityType: "period_lock", entityId: data.id, unitId: before.unitId, before, after });
    return after;
  });
}
