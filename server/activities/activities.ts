import { aliasedTable, and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { activities, projects, users } from "@/db/schema";
import { ACTIVITY_KINDS } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError, invalid, notFound, staleVersion } from "@/server/lib/errors";
import { updateVersioned, ZVersion } from "@/server/lib/versioned-update";
import { ZDate } from "@/server/projects/project-fields";
import { getProjectRow, projectInScope } from "@/server/projects/project-scope";

type TScope = Pick<TActor, "unitPath">;
const authors = aliasedTable(users, "authors");

export const ZActivityFields = z.object({
  kind: z.enum(ACTIVITY_KINDS),
  occurredOn: ZDate,
  summary: z.string().trim().min(2, "errors.activity.summary").max(2000),
  participants: z.string().trim().max(500).nullish().transform((v) => v || null),
  nextStep: z.string().trim().max(500).nullish().transform((v) => v || null),
  nextDueOn: ZDate.nullish().transform((v) => v ?? null),
});
export const ZAddActivity = ZActivityFields.extend({ projectId: z.uuid() });
export const ZUpdateActivity = ZActivityFields.extend({ id: z.uuid(), version: ZVersion });

function checkDates(d: z.output<typeof ZActivityFields>, today: string) {
  if (d.occurredOn > today) throw invalid({ occurredOn: "errors.date.future" });
  if (d.nextDueOn && !d.nextStep) throw invalid({ nextStep: "errors.activity.nextStepMissing" });
  if (d.nextDueOn && d.nextDueOn < d.occurredOn) throw invalid({ nextDueOn: "errors.activity.dueBeforeActivity" });
}

/** The project's last activity date is derived from its live activities (no version bump: it is not an edit). */
async function refreshLastActivity(tx: Db, projectId: string) {
  await tx
    .update(projects)
    .set({ lastActivityOn: sql`(select max(a.occurred_on) from ${activities} a where a.project_id = ${projectId} and a.deleted_at is null)` })
    .where(eq(projects.id, projectId));
}

export async function findActivities(db: Db, actor: TScope, projectId: string) {
  await getProjectRow(db, actor, projectId);
  return db
    .select({
      id: activities.id,
      kind: activities.kind,
      occurredOn: activities.occurredOn,
      summary: activities.summary,
      participants: activities.participants,
      nextStep: activities.nextStep,
      nextDueOn: activities.nextDueOn,
      nextDoneAt: activities.nextDoneAt,
      createdBy: activities.createdBy,
      authorName: authors.name,
      createdAt: activities.createdAt,
      version: activities.version,
    })
    .from(activities)
    .leftJoin(authors, eq(authors.id, activities.createdBy))
    .where(and(eq(activities.projectId, projectId), isNull(activities.deletedAt)))
    .orderBy(desc(activities.occurredOn), desc(activities.createdAt));
}

export async function addActivity(db: Db, actor: TActor, input: z.input<typeof ZAddActivity>) {
  const data = ZAddActivity.parse(input);
  checkDates(data, todayCN());
  return db.transaction(async (tx) => {
    const project = await getProjectRow(tx, actor, data.projectId);
    const [row] = await tx.insert(activities).values({ ...data, createdBy: actor.id }).returning();
    await refreshLastActivity(tx, project.id);
    await writeAudit(tx, { actorId: actor.id, action: "activity.create", entityType: "activity", entityId: row!.id, unitId: project.unitId, after: row });
    return row!;
  });
}

/** An activity of a project in scope, editable by its author (or an admin). */
async function getOwnActivity(tx: Db, actor: TActor, id: string) {
  const [row] = await tx
    .select({ a: activities, unitId: projects.unitId })
    .from(activities)
    .innerJoin(projects, eq(projects.id, activities.projectId))
    .where(and(eq(activities.id, id), isNull(activities.deletedAt), projectInScope(actor)));
  if (!row) throw notFound("activity");
  if (row.a.createdBy !== actor.id && actor.role !== "admin") throw new AppError("FORBIDDEN", { key: "errors.activity.notOwn" });
  return row;
}

export async function updateActivity(db: Db, actor: TActor, input: z.input<typeof ZUpdateActivity>) {
  const data = ZUpdateActivity.parse(input);
  checkDates(data, todayCN());
  return db.transaction(async (tx) => {
    const { a: before, unitId } = await getOwnActivity(tx, actor, data.id);
    if (before.version !== data.version) throw staleVersion();
    const { id, version, ...fields } = data;
    const after = await updateVersioned(tx, activities, id, version, { ...fields, nextDoneAt: fields.nextStep === before.nextStep ? before.nextDoneAt : null });
    await refreshLastActivity(tx, before.projectId);
    await writeAudit(tx, { actorId: actor.id, action: "activity.update", entityType: "activity", entityId: id, unitId, before, after });
    return after;
  });
}

export async function deleteActivity(db: Db, actor: TActor, input: { id: string; version: number }) {
  return db.transaction(async (tx) => {
    const { a: before, unitId } = await getOwnActivity(tx, actor, input.id);
    const after = await updateVersioned(tx, activities, input.id, input.version, { deletedAt: sql`now()` });
    await refreshLastActivity(tx, before.projectId);
    await writeAudit(tx, { actorId: actor.id, action: "activity.delete", entityType: "activity", entityId: input.id, unitId, before, after });
    return { ok: true as const };
  });
}

/** The next step is done: its author, the project's owner or an admin ticks it off. */
export async function completeNextStep(db: Db, actor: TActor, input: { id: string; version: number }) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ a: activities, unitId: projects.unitId, ownerId: projects.ownerId })
      .from(activities)
      .innerJoin(projects, eq(projects.id, activities.projectId))
      .where(and(eq(activities.id, input.id), isNull(activities.deletedAt), projectInScope(actor)));
    if (!row || !row.a.nextStep) throw notFound("activity");
    if (row.a.createdBy !== actor.id && row.ownerId !== actor.id && actor.role !== "admin") throw new AppError("FORBIDDEN", { key: "errors.activity.notOwn" });
    const after = await updateVersioned(tx, activities, input.id, input.version, { nextDoneAt: sql`now()` });
    await writeAudit(tx, { actorId: actor.id, action: "activity.complete_next_step", entityType: "activity", entityId: input.id, unitId: row.unitId, before: row.a, after });
    return after;
  });
}

