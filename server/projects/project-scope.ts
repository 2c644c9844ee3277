import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { addDays } from "@/lib/dates";
import type { Db } from "@/db/client";
import { investors, projects, tranches, units, users } from "@/db/schema";
import { codesFromPath, deriveOriginClass } from "@/lib/origin-class";
import type { TActor } from "@/server/auth/actor";
import { inScope } from "@/server/auth/scope";
import { invalid, notFound } from "@/server/lib/errors";
import { getSettings, type TSettings } from "@/server/settings/settings";
import { getUnit } from "@/server/units/units";

type TScope = Pick<TActor, "unitPath">;

/** Live (not deleted) projects in the actor's scope. */
export const projectInScope = (actor: TScope): SQL => and(isNull(projects.deletedAt), inScope(projects.unitId, actor))!;

/** 大项目: planned investment at or above the threshold of its currency. */
export function isMajorSql(s: Pick<TSettings, "majorThresholdCny" | "majorThresholdUsd">): SQL<boolean> {
  return sql<boolean>`(case when ${projects.capitalType} = 'foreign' then ${projects.plannedAmount} >= ${s.majorThresholdUsd}::numeric else ${projects.plannedAmount} >= ${s.majorThresholdCny}::numeric end)`;
}

/** The last sign of life: the later of the last activity and the last stage change (greatest skips a null). */
export const quietSinceSql: SQL<string> = sql<string>`greatest(${projects.lastActivityOn}, ${projects.stageSince})`;

/** 停滞: an active project before funds with neither an activity nor a stage change for more than `staleDays`. */
export function isStaleSql(staleDays: number, today: string): SQL<boolean> {
  return sql<boolean>`(${projects.status} = 'active' and ${projects.stage} <> 'funds'
    and ${quietSinceSql} < ${addDays(today, -staleDays)})`;
}

/** Signed (not lost) with no verified funds yet. */
export const isUnfundedSql = (): SQL<boolean> =>
  sql<boolean>`(${projects.stage} = 'signed' and ${projects.status} <> 'lost'
    and not exists (select 1 from ${tranches} t where t.project_id = ${projects.id} and t.status = 'verified'))`;

/** Has a tranche of the given status arriving in [from, to]. */
export const hasTrancheSql = (status: "verified" | "pending", from: string, to: string): SQL<boolean> =>
  sql<boolean>`exists (select 1 from ${tranches} t where t.project_id = ${projects.id} and t.status = ${status} and t.arrived_on between ${from} and ${to})`;

/** The project row, in scope and not deleted; otherwise NOT_FOUND (exactly like a missing id). */
export async function getProjectRow(db: Db, actor: TScope, id: string) {
  const [row] = await db.select().from(projects).where(and(eq(projects.id, id), projectInScope(actor)));
  if (!row) throw notFound("project");
  return row;
}

/** Owner must be an enabled user in the actor's scope whose unit covers the project's unit. */
export async function checkOwner(db: Db, actor: TScope, ownerId: string | null, unitPath: string) {
  if (!ownerId) return;
  const [owner] = await db
    .select({ path: units.path, disabledAt: users.disabledAt })
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(and(eq(users.id, ownerId), inScope(users.unitId, actor)));
  if (!owner || owner.disabledAt || !unitPath.startsWith(owner.path)) throw invalid({ ownerId: "errors.project.owner" });
}

/** Unit (in scope) and the origin class its project gets with this investor and capital type. */
export async function resolveUnitAndOrigin(
  db: Db,
  actor: TScope,
  input: { unitId: string; investorId: string; capitalType: "domestic" | "foreign" },
) {
  const unit = await getUnit(db, actor, input.unitId).catch(() => {
    throw invalid({ unitId: "errors.project.unitRequired" });
  });
  const [inv] = await db.select({ originRegion: investors.originRegion }).from(investors).where(eq(investors.id, input.investorId));
  if (!inv) throw notFound("investor");
  const originClass = deriveOriginClass({ capitalType: input.capitalType, originRegion: inv.originRegion, ...codesFromPath(unit.path) });
  return { unit, originClass };
}

export { getSettings };
