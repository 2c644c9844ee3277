import { count, eq, inArray, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects, stageEvents, tranches } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { checkStageMove, isBackward, stageIndex } from "@/lib/stage-rules";
import type { TActor } from "@/server/auth/actor";
import { dbNow, writeAudit, writeTime } from "@/server/audit/write-audit";
import { invalid, staleVersion } from "@/server/lib/errors";
import { updateVersioned } from "@/server/lib/versioned-update";
import { assertUnlocked } from "@/server/locks/assert-unlocked";
import { ZMoveStage, type TMoveStage } from "./project-fields";
import { getProjectRow } from "./project-scope";

/**
 * The date a new stage event of each project cannot be dated before: its latest event (a status
 * change too) or the start of its stage, so the timeline stays in order, no negative days in a stage.
 */
export async function eventFloors(db: Db, rows: Array<{ id: string; stageSince: string | null }>) {
  const latest = rows.length
    ? await db.select({ id: stageEvents.projectId, on: max(stageEvents.businessDate) }).from(stageEvents).where(inArray(stageEvents.projectId, rows.map((r) => r.id))).groupBy(stageEvents.projectId)
    : [];
  const on = new Map(latest.map((l) => [l.id, l.on]));
  return new Map(rows.map((r) => [r.id, [on.get(r.id), r.stageSince].filter((d): d is string => !!d).sort().at(-1) ?? null]));
}

/**
 * Move a project to another stage and/or status: the project row, its stage event (business date,
 * who, when recorded, note) and the audit entry are written in one transaction, recorded at the
 * database's time (`now`: a test's date instead).
 */
export async function moveProjectStage(db: Db, actor: TActor, input: TMoveStage, now?: Date) {
  const data = ZMoveStage.parse(input);
  return db.transaction(async (tx) => {
    const before = await getProjectRow(tx, actor, data.id);
    if (before.version !== data.version) throw staleVersion();
    const notBefore = (await eventFloors(tx, [before])).get(before.id) ?? null;
    const problems = checkStageMove({
      from: { stage: before.stage, status: before.status },
      to: { stage: data.toStage, status: data.toStatus },
      businessDate: data.businessDate,
      today: todayCN(now ?? (await dbNow(tx))),
      notBefore,
      reason: data.reason,
      signedAmount: data.signedAmount,
    });
    if (problems.businessDate === "errors.stage.beforeLastEvent")
      throw invalid({ ...problems, businessDate: { key: problems.businessDate, values: { date: notBefore! } } });
    if (Object.keys(problems).length) throw invalid(problems);
    if (before.stage === "funds" && isBackward(before.stage, data.toStage)) {
      const [t] = await tx.select({ n: count() }).from(tranches).where(eq(tranches.projectId, data.id));
      if (t && t.n > 0) throw invalid({ to: "errors.stage.hasTranches" });
    }

    const entersSigned = data.toStage === "signed" && stageIndex(before.stage) < stageIndex("signed");
    const leavesSigned = stageIndex(data.toStage) < stageIndex("signed") && stageIndex(before.stage) >= stageIndex("signed");
    const stageChanged = data.toStage !== before.stage;
    // the event is dated in its period; a cancelled signing also leaves the period it was signed in
    await assertUnlocked(tx, { unitId: before.unitId, dates: [data.businessDate, leavesSigned ? before.signedOn : null] }, actor);
    const after = await updateVersioned(tx, projects, data.id, data.version, {
      stage: data.toStage,
      status: data.toStatus,
      statusReason: data.toStatus === "lost" || isBackward(before.stage, data.toStage) ? (data.reason ?? null) : null,
      stageSince: stageChanged ? data.businessDate : before.stageSince,
      ...(entersSigned ? { signedOn: data.businessDate, signedAmount: data.signedAmount! } : {}),
      // a cancelled signing is no longer a signing (the event history keeps that it happened)
      ...(leavesSigned ? { signedOn: null, signedAmount: null } : {}),
    });
    const [event] = await tx
      .insert(stageEvents)
      .values({
        projectId: data.id,
        fromStage: before.stage,
        toStage: data.toStage,
        fromStatus: before.status,
        toStatus: data.toStatus,
        businessDate: data.businessDate,
        recordedAt: writeTime(now),
        actorId: actor.id,
        note: data.note || null,
        reason: data.reason || null,
        signedAmount: entersSigned ? data.signedAmount! : null,
      })
      .returning();
    await writeAudit(tx, {
      actorId: actor.id,
      action: "project.move_stage",
      entityType: "project",
      entityId: data.id,
      unitId: before.unitId,
      before,
      after: { ...after, event },
    });
    return after;
  });
}
