import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects, stageEvents } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { pgErrorCode, queryRows } from "@/db/client";
import type { TActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { createInvestorTx, getInvestor } from "@/server/investors/investors";
import { invalid } from "@/server/lib/errors";
import { assertUnlocked } from "@/server/locks/assert-unlocked";
import { getSettings } from "@/server/settings/settings";
import { getUnit } from "@/server/units/units";
import { ZCreateProject, type TCreateProject } from "./project-fields";
import { checkOwner, resolveUnitAndOrigin } from "./project-scope";

/** Next free code like LN-2026-0042; serialised per prefix and year by an advisory lock. */
export async function nextProjectCode(tx: Db, prefix: string, year: number) {
  const stem = `${prefix}-${year}-`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`project_code:${stem}`}))`);
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select coalesce(max(substring(code from ${`^${stem}(\\d+)$`})::int), 0) + 1 as n from ${projects} where code like ${`${stem}%`}`,
  );
  const n = Number(row?.n ?? 1);
  return `${stem}${String(n).padStart(4, "0")}`;
}

/** Create a project (and, inline, its investor) with its first stage event, in one transaction. */
export async function createProject(db: Db, actor: TActor, input: TCreateProject) {
  const data = ZCreateProject.parse(input);
  if (data.startedOn > todayCN()) throw invalid({ startedOn: "errors.date.future" });
  return db.transaction(async (tx) => {
    // its first stage event is dated in a period; checked before anything (an inline investor) is written
    const target = await getUnit(tx, actor, data.unitId).catch(() => null);
    if (target) await assertUnlocked(tx, { unitId: target.id, dates: [data.startedOn] }, actor);
    const investorId =
      "investorId" in data.investor
        ? (await getInvestor(tx, actor, data.investor.investorId)).id
        : (await createInvestorTx(tx, actor, { ...data.investor.newInvestor, confirmDuplicate: data.investor.confirmDuplicate })).id;
    const { unit, originClass } = await resolveUnitAndOrigin(tx, actor, { unitId: data.unitId, investorId, capitalType: data.capitalType });
    await checkOwner(tx, actor, data.ownerId, unit.path);
    const settings = await getSettings(tx);
    const code = data.code ?? (await nextProjectCode(tx, settings.projectCodePrefix, Number(data.startedOn.slice(0, 4))));
    // Codes are unique in the whole installation (a bureau's reports cite them), so a code another
    // unit uses — or a deleted project kept — is "taken": that much is said, nothing else about it
    // (no unit, name or id; tests/integration/investors.test.ts). Choosing another code is the remedy.
    const [taken] = await tx.select({ id: projects.id }).from(projects).where(sql`${projects.code} = ${code}`);
    if (taken) throw invalid({ code: "errors.project.codeTaken" });

    const [row] = await tx
      .insert(projects)
      .values({
        code,
        name: data.name,
        investorId,
        capitalType: data.capitalType,
        unitId: unit.id,
        ownerId: data.ownerId,
        industry: data.industry,
        isEmerging: data.isEmerging,
        sourceChannel: data.sourceChannel,
        plannedAmount: data.plannedAmount,
        notes: data.notes,
        stage: data.stage,
        status: "active",
        stageSince: data.startedOn,
        originClass,
        createdBy: actor.id,
      })
      .returning()
      .catch((err) => {
        if (pgErrorCode(err) === "23505") throw invalid({ code: "errors.project.codeTaken" });
        throw err;
      });
    await tx.insert(stageEvents).values({
      projectId: row!.id,
      fromStage: null,
      toStage: data.stage,
      fromStatus: null,
      toStatus: "active",
      businessDate: data.startedOn,
      actorId: actor.id,
      note: data.note || null,
    });
    await writeAudit(tx, { actorId: actor.id, action: "project.create", entityType: "project", entityId: row!.id, unitId: unit.id, after: row });
    return row!;
  });
}
