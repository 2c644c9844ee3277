import { aliasedTable, and, asc, count, desc, eq, sql } from "drizzle-orm";
import { pgErrorCode, type Db } from "@/db/client";
import { evidenceFiles, projects, stageEvents, tranches, units, users } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { stageIndex } from "@/lib/stage-rules";
import type { TActor } from "@/server/auth/actor";
import { dbNow, writeAudit, writeTime } from "@/server/audit/write-audit";
import { AppError, invalid, notFound, staleVersion } from "@/server/lib/errors";
import { translate } from "@/server/lib/i18n";
import { assertUnlocked } from "@/server/locks/assert-unlocked";
import { updateVersioned } from "@/server/lib/versioned-update";
import { getProjectRow, projectInScope } from "@/server/projects/project-scope";
import { ZReportTranche, ZUpdateTranche, ZVerifyTranche, type TReportTranche, type TVerifyTranche } from "./tranche-fields";

type TScope = Pick<TActor, "unitPath">;
const reporters = aliasedTable(users, "reporters");
const verifiers = aliasedTable(users, "verifiers");

const trancheColumns = {
  id: tranches.id,
  projectId: tranches.projectId,
  amount: tranches.amount,
  arrivedOn: tranches.arrivedOn,
  evidenceNo: tranches.evidenceNo,
  note: tranches.note,
  status: tranches.status,
  reportedBy: tranches.reportedBy,
  reportedByName: reporters.name,
  reportedAt: tranches.reportedAt,
  verifiedBy: tranches.verifiedBy,
  verifiedByName: verifiers.name,
  verifiedAt: tranches.verifiedAt,
  rejectReason: tranches.rejectReason,
  version: tranches.version,
  fileCount: sql<number>`(select count(*)::int from ${evidenceFiles} where ${evidenceFiles.trancheId} = ${tranches.id})`,
};

/** The tranche row, if its project is live and in scope; otherwise NOT_FOUND. */
export async function getTrancheRow(db: Db, actor: TScope, id: string) {
  const [row] = await db
    .select({ tranche: tranches, project: projects })
    .from(tranches)
    .innerJoin(projects, eq(projects.id, tranches.projectId))
    .where(and(eq(tranches.id, id), projectInScope(actor)));
  if (!row) throw notFound("tranche");
  return row;
}

export async function findProjectTranches(db: Db, actor: TScope, projectId: string) {
  await getProjectRow(db, actor, projectId);
  const rows = await db
    .select(trancheColumns)
    .from(tranches)
    .leftJoin(reporters, eq(reporters.id, tranches.reportedBy))
    .leftJoin(verifiers, eq(verifiers.id, tranches.verifiedBy))
    .where(eq(tranches.projectId, projectId))
    .orderBy(desc(tranches.arrivedOn), desc(tranches.reportedAt));
  const files = rows.length
    ? await db
        .select({ id: evidenceFiles.id, trancheId: evidenceFiles.trancheId, filename: evidenceFiles.filename, mimeType: evidenceFiles.mimeType, size: evidenceFiles.size })
        .from(evidenceFiles)
        .innerJoin(tranches, eq(tranches.id, evidenceFiles.trancheId))
        .where(eq(tranches.projectId, projectId))
        .orderBy(asc(evidenceFiles.uploadedAt))
    : [];
  return rows.map((r) => ({ ...r, files: files.filter((f) => f.trancheId === r.id) }));
}

/**
 * Staff report funds that arrived. The first tranche of a signed project moves it to `funds`
 * (with its stage event); the tranche waits for a leader's verification before it counts.
 * Recorded at the database's time (`now`: a test's or a seed's date instead).
 */
export async function reportTranche(db: Db, actor: TActor, input: TReportTranche, now?: Date) {
  const data = ZReportTranche.parse(input);
  if (data.arrivedOn > todayCN(now ?? (await dbNow(db)))) throw invalid({ arrivedOn: "errors.date.future" });
  try {
    return await reportTrancheTx(db, actor, data, now);
  } catch (err) {
    // the same form submitted twice at once: the other submission won the unique request key
    if (data.requestKey && pgErrorCode(err) === "23505") {
      const [dup] = await db.select().from(tranches).where(eq(tranches.requestKey, data.requestKey));
      if (dup) {
        await getProjectRow(db, actor, dup.projectId); // in scope, as in the transaction: else NOT_FOUND
        return dup;
      }
    }
    throw err;
  }
}

async function reportTrancheTx(db: Db, actor: TActor, data: ReturnType<typeof ZReportTranche.parse>, now: Date | undefined) {
  return db.transaction(async (tx) => {
    if (data.requestKey) {
      const [dup] = await tx.select().from(tranches).where(eq(tranches.requestKey, data.requestKey));
      if (dup) {
        await getProjectRow(tx, actor, dup.projectId);
        return dup; // the same form submitted twice
      }
    }
    const project = await getProjectRow(tx, actor, data.projectId);
    // a locked period takes no new funds (nor the move to `funds` this first tranche would date in it)
    await assertUnlocked(tx, { unitId: project.unitId, dates: [data.arrivedOn] }, actor);
    // lock the project row: two first tranches at once must not both move the stage
    await tx.execute(sql`select 1 from ${projects} where ${projects.id} = ${project.id} for update`);
    if (stageIndex(project.stage) < stageIndex("signed")) throw invalid({ projectId: "errors.tranche.notSigned" });
    if (project.status === "lost") throw invalid({ projectId: "errors.tranche.projectLost" });
    if (project.signedOn && data.arrivedOn < project.signedOn) throw invalid({ arrivedOn: "errors.tranche.beforeSigning" });

    const [row] = await tx
      .insert(tranches)
      .values({ ...data, status: "pending", reportedBy: actor.id, reportedAt: writeTime(now) })
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "tranche.report", entityType: "tranche", entityId: row!.id, unitId: project.unitId, after: row });
    if (project.stage === "signed") {
      const moved = await updateVersioned(tx, projects, project.id, project.version, { stage: "funds", stageSince: data.arrivedOn });
      const [event] = await tx
        .insert(stageEvents)
        .values({
          projectId: project.id, fromStage: "signed", toStage: "funds", fromStatus: project.status, toStatus: project.status,
          businessDate: data.arrivedOn, recordedAt: writeTime(now), actorId: actor.id, note: translate(actor.locale, "tranche.firstTrancheNote"),
        })
        .returning();
      await writeAudit(tx, { actorId: actor.id, action: "project.move_stage", entityType: "project", entityId: project.id, unitId: project.unitId, before: project, after: { ...moved, event } });
    }
    return row!;
  });
}

/** The reporter (or an admin) corrects a tranche while it still awaits verification. */
export async function updateTranche(db: Db, actor: TActor, input: unknown) {
  const data = ZUpdateTranche.parse(input);
  return db.transaction(async (tx) => {
    const { tranche, project } = await getTrancheRow(tx, actor, data.id);
    if (tranche.version !== data.version) throw staleVersion();
    if (tranche.status !== "pending") throw new AppError("CONFLICT", { key: "errors.tranche.notPending" });
    if (actor.role !== "admin" && tranche.reportedBy !== actor.id) throw new AppError("FORBIDDEN", { key: "errors.tranche.onlyReporter" });
    if (data.arrivedOn > todayCN(await dbNow(tx))) throw invalid({ arrivedOn: "errors.date.future" });
    if (project.signedOn && data.arrivedOn < project.signedOn) throw invalid({ arrivedOn: "errors.tranche.beforeSigning" });
    // moving a tranche changes the period it leaves and the one it enters
    await assertUnlocked(tx, { unitId: project.unitId, dates: [tranche.arrivedOn, data.arrivedOn] }, actor);
    const after = await updateVersioned(tx, tranches, data.id, data.version, {
      amount: data.amount,
      arrivedOn: data.arrivedOn,
      evidenceNo: data.evidenceNo,
      note: data.note,
    });
    await writeAudit(tx, { actorId: actor.id, action: "tranche.update", entityType: "tranche", entityId: data.id, unitId: project.unitId, before: tranche, after });
    return after;
  });
}

/**
 * A leader or admin who did not report it verifies or rejects a pending tranche. Only verified
 * tranches count in the official figures.
 */
export async function verifyTranche(db: Db, actor: TActor, input: TVerifyTranche, now?: Date) {
  const data = ZVerifyTranche.parse(input);
  return db.transaction(async (tx) => {
    const { tranche, project } = await getTrancheRow(tx, actor, data.id);
    if (tranche.version !== data.version) throw staleVersion();
    if (tranche.status !== "pending") throw new AppError("CONFLICT", { key: "errors.tranche.notPending" });
    if (tranche.reportedBy === actor.id) throw new AppError("FORBIDDEN", { key: "errors.tranche.ownReport" });
    await assertUnlocked(tx, { unitId: project.unitId, dates: [tranche.arrivedOn] }, actor);
    const after = await updateVersioned(tx, tranches, data.id, data.version, {
      status: data.decision === "verify" ? "verified" : "rejected",
      verifiedBy: actor.id,
      verifiedAt: writeTime(now),
      rejectReason: data.decision === "reject" ? data.reason : null,
    });
    await writeAudit(tx, {
      actorId: actor.id,
      action: data.decision === "verify" ? "tranche.verify" : "tranche.reject",
      entityType: "tranche",
      entityId: data.id,
      unitId: project.unitId,
      before: tranche,
      after,
    });
    return after;
  });
}

/**
 * The reporter withdraws a pending tranche (reported by mistake). If it was the project's only
 * tranche, the project goes back to `signed`.
 */
export async function withdrawTranche(db: Db, actor: TActor, input: { id: string; version: number }, at?: Date) {
  return db.transaction(async (tx) => {
    const now = at ?? (await dbNow(tx));
    const { tranche, project } = await getTrancheRow(tx, actor, input.id);
    if (tranche.version !== input.version) throw staleVersion();
    if (tranche.status !== "pending") throw new AppError("CONFLICT", { key: "errors.tranche.notPending" });
    if (actor.role !== "admin" && tranche.reportedBy !== actor.id) throw new AppError("FORBIDDEN", { key: "errors.tranche.onlyReporter" });
    // the last tranche withdrawn takes the project back to `signed`, with a stage event dated today
    const [all] = await tx.select({ n: count() }).from(tranches).where(eq(tranches.projectId, project.id));
    const movesBack = project.stage === "funds" && all?.n === 1;
    await assertUnlocked(tx, { unitId: project.unitId, dates: [tranche.arrivedOn, movesBack ? todayCN(now) : null] }, actor);
    await tx.delete(evidenceFiles).where(eq(evidenceFiles.trancheId, tranche.id));
    await tx.delete(tranches).where(eq(tranches.id, tranche.id));
    await writeAudit(tx, { actorId: actor.id, action: "tranche.withdraw", entityType: "tranche", entityId: tranche.id, unitId: project.unitId, before: tranche });
    const [left] = await tx.select({ n: count() }).from(tranches).where(eq(tranches.projectId, project.id));
    if (project.stage === "funds" && left?.n === 0) {
      const moved = await updateVersioned(tx, projects, project.id, project.version, { stage: "signed", stageSince: project.signedOn ?? todayCN(now) });
      const [event] = await tx
        .insert(stageEvents)
        .values({
          projectId: project.id, fromStage: "funds", toStage: "signed", fromStatus: project.status, toStatus: project.status,
          businessDate: todayCN(now), recordedAt: writeTime(at), actorId: actor.id, reason: translate(actor.locale, "tranche.withdrawnReason"),
        })
        .returning();
      await writeAudit(tx, { actorId: actor.id, action: "project.move_stage", entityType: "project", entityId: project.id, unitId: project.unitId, before: project, after: { ...moved, event } });
    }
    return { ok: true as const };
  });
}

export type TQueueFilter = { status?: "pending" | "verified" | "rejected"; unit?: string; page?: number; pageSize?: number };

/** The verification queue: tranches of projects in scope, pending first, oldest first. */
export async function findTrancheQueue(db: Db, actor: TScope, f: TQueueFilter = {}) {
  const status = f.status ?? "pending";
  const pageSize = Math.min(f.pageSize ?? 50, 200);
  const page = Math.max(1, f.page ?? 1);
  const unitFilter = f.unit
    ? sql`${projects.unitId} in (select ${units.id} from ${units} where ${units.path} like (select ${units.path} from ${units} where ${units.code} = ${f.unit}) || '%')`
    : undefined;
  const where = and(projectInScope(actor), eq(tranches.status, status), unitFilter);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        ...trancheColumns,
        projectCode: projects.code,
        projectName: projects.name,
        capitalType: projects.capitalType,
        signedAmount: projects.signedAmount,
        unitName: units.name,
      })
      .from(tranches)
      .innerJoin(projects, eq(projects.id, tranches.projectId))
      .innerJoin(units, eq(units.id, projects.unitId))
      .leftJoin(reporters, eq(reporters.id, tranches.reportedBy))
      .leftJoin(verifiers, eq(verifiers.id, tranches.verifiedBy))
      .where(where)
      .orderBy(status === "pending" ? asc(tranches.reportedAt) : desc(tranches.verifiedAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(tranches).innerJoin(projects, eq(projects.id, tranches.projectId)).where(where),
  ]);
  return { rows, total: total?.n ?? 0, page, pageSize };
}

