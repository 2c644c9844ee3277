import { aliasedTable, and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { contacts, investors, projects, stageEvents, units, users } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { inScope } from "@/server/auth/scope";
import { notFound } from "@/server/lib/errors";
import { getSettings } from "@/server/settings/settings";
import { isMajorSql, projectInScope } from "./project-scope";

const owners = aliasedTable(users, "owners");

/** A project with its investor, unit, owner, contacts in scope and stage timeline. */
export async function getProject(db: Db, actor: Pick<TActor, "unitPath">, id: string) {
  const settings = await getSettings(db);
  const [row] = await db
    .select({
      project: projects,
      isMajor: isMajorSql(settings),
      investor: investors,
      unit: { id: units.id, code: units.code, name: units.name, path: units.path },
      owner: { id: owners.id, name: owners.name, email: owners.email },
    })
    .from(projects)
    .innerJoin(investors, eq(investors.id, projects.investorId))
    .innerJoin(units, eq(units.id, projects.unitId))
    .leftJoin(owners, eq(owners.id, projects.ownerId))
    .where(and(eq(projects.id, id), projectInScope(actor)));
  if (!row) throw notFound("project");

  const [events, contactRows] = await Promise.all([
    db
      .select({
        id: stageEvents.id,
        fromStage: stageEvents.fromStage,
        toStage: stageEvents.toStage,
        fromStatus: stageEvents.fromStatus,
        toStatus: stageEvents.toStatus,
        businessDate: stageEvents.businessDate,
        recordedAt: stageEvents.recordedAt,
        note: stageEvents.note,
        reason: stageEvents.reason,
        signedAmount: stageEvents.signedAmount,
        actorName: users.name,
      })
      .from(stageEvents)
      .leftJoin(users, eq(users.id, stageEvents.actorId))
      .where(eq(stageEvents.projectId, id))
      .orderBy(desc(stageEvents.businessDate), desc(stageEvents.recordedAt)),
    db
      .select()
      .from(contacts)
      .where(and(eq(contacts.investorId, row.investor.id), inScope(contacts.ownerUnitId, actor)))
      .orderBy(asc(contacts.name)),
  ]);
  return { ...row.project, isMajor: row.isMajor, investor: row.investor, unit: row.unit, owner: row.owner?.id ? row.owner : null, events, contacts: contactRows };
}
export type TProjectDetail = Awaited<ReturnType<typeof getProject>>;
