import { count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects, tranches } from "@/db/schema";
import { checkMilestones, stageIndex } from "@/lib/stage-rules";
import { todayCN } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { getInvestor } from "@/server/investors/investors";
import { invalid, staleVersion } from "@/server/lib/errors";
import { updateVersioned } from "@/server/lib/versioned-update";
import { assertUnlocked, projectFigureDates } from "@/server/locks/assert-unlocked";
import { ZUpdateProject, type TUpdateProject } from "./project-fields";
import { checkOwner, getProjectRow, resolveUnitAndOrigin } from "./project-scope";

/** Edit a project's details (not its stage: see moveProjectStage). Refuses a stale version. */
export async function updateProject(db: Db, actor: TActor, input: TUpdateProject) {
  const data = ZUpdateProject.parse(input);
  return db.transaction(async (tx) => {
    const before = await getProjectRow(tx, actor, data.id);
    if (before.version !== data.version) throw staleVersion();
    await getInvestor(tx, actor, data.investorId);
    const { unit, originClass } = await resolveUnitAndOrigin(tx, actor, data);
    await checkOwner(tx, actor, data.ownerId, unit.path);
    if (data.capitalType !== before.capitalType) {
      // amounts already reported are in the old currency
      const [t] = await tx.select({ n: count() }).from(tranches).where(eq(tranches.projectId, data.id));
      if (t && t.n > 0) throw invalid({ capitalType: "errors.project.capitalTypeHasTranches" });
    }
    // another investor (or unit) can change the origin class: what its funds count as (省外)
    if (data.capitalType !== before.capitalType || unit.id !== before.unitId || originClass !== before.originClass) {
      // every period the project counts in changes: for the unit it leaves and the one it joins
      const dates = (await projectFigureDates(tx, [before.id])).get(before.id)!;
      await assertUnlocked(tx, { unitId: [before.unitId, unit.id], dates }, actor);
    }
    const milestones = data.registeredOn || data.constructionOn || data.productionOn;
    if (milestones && stageIndex(before.stage) < stageIndex("signed"))
      throw invalid({ registeredOn: "errors.project.milestoneBeforeSigning" });
    const dateProblems = checkMilestones({ ...data, signedOn: before.signedOn, today: todayCN() });
    if (Object.keys(dateProblems).length)
      throw invalid(
        Object.fromEntries(
          Object.entries(dateProblems).map(([f, key]) => [f, key === "errors.project.milestoneBeforeSigned" ? { key, values: { date: before.signedOn! } } : key]),
        ),
      );

    const after = await updateVersioned(tx, projects, data.id, data.version, {
      name: data.name,
      investorId: data.investorId,
      capitalType: data.capitalType,
      unitId: unit.id,
      ownerId: data.ownerId,
      industry: data.industry,
      isEmerging: data.isEmerging,
      sourceChannel: data.sourceChannel,
      plannedAmount: data.plannedAmount,
      notes: data.notes,
      registeredOn: data.registeredOn,
      constructionOn: data.constructionOn,
      productionOn: data.productionOn,
      originClass,
    });
    await writeAudit(tx, { actorId: actor.id, action: "project.update", entityType: "project", entityId: data.id, unitId: unit.id, before, after });
    return after;
  });
}

/** Soft-delete (admin): the project disappears from every list and figure, the history stays. */
export async function deleteProject(db: Db, actor: TActor, input: { id: string; version: number }) {
  return db.transaction(async (tx) => {
    const before = await getProjectRow(tx, actor, input.id);
    // a deleted project leaves every figure it counted in
    await assertUnlocked(tx, { unitId: before.unitId, dates: (await projectFigureDates(tx, [before.id])).get(before.id)! }, actor);
    const after = await updateVersioned(tx, projects, input.id, input.version, { deletedAt: sql`now()` });
    await writeAudit(tx, { actorId: actor.id, action: "project.delete", entityType: "project", entityId: input.id, unitId: before.unitId, before, after });
    return { ok: true as const };
  });
}

