import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { activities, auditLog, contacts, evidenceFiles, tranches, users } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { getProjectRow } from "@/server/projects/project-scope";
import { resolveAuditNames } from "./audit-names";
import { auditEntryColumns } from "./find-audit-log";

export const ZProjectHistory = z.object({
  projectId: z.uuid(),
  /** the seq of the last entry already shown: the next page holds older entries */
  cursor: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type TProjectHistoryInput = z.input<typeof ZProjectHistory>;

/**
 * A project's history: the audit entries about the project itself and about its tranches, their
 * evidence files, its activities and its investor's contacts (those in the viewer's scope).
 * The project must be live and in scope (else NOT_FOUND, like a missing id); the set of objects
 * is built from this project's rows only, so nothing about another project can appear. Objects
 * since removed (a withdrawn tranche, a deleted contact) are found through their removal entry.
 */
export async function findProjectHistory(db: Db, actor: Pick<TActor, "unitPath">, input: TProjectHistoryInput) {
  const f = ZProjectHistory.parse(input);
  const project = await getProjectRow(db, actor, f.projectId);
  const pid = project.id;
  const scopeUnits = sql`(select id from units where path like ${`${actor.unitPath}%`})`;
  const objects = sql`
    with withdrawn as (
      select a.entity_id as id from ${auditLog} a
      where a.entity_type = 'tranche' and a.action = 'tranche.withdraw' and a.before->>'projectId' = ${pid}
    ),
    project_tranches as (
      select ${tranches.id}::text as id from ${tranches} where ${tranches.projectId} = ${pid}
      union select id from withdrawn
    )
    select 'project'::text as entity_type, ${pid}::text as entity_id
    union all select 'tranche', id from project_tranches
    union all select 'evidence', ${evidenceFiles.id}::text from ${evidenceFiles}
      where ${evidenceFiles.trancheId} in (select ${tranches.id} from ${tranches} where ${tranches.projectId} = ${pid})
    union all select 'evidence', a.entity_id from ${auditLog} a
      where a.entity_type = 'evidence' and coalesce(a.after->>'trancheId', a.before->>'trancheId') in (select id from withdrawn)
    union all select 'activity', ${activities.id}::text from ${activities} where ${activities.projectId} = ${pid}
    union all select 'contact', ${contacts.id}::text from ${contacts}
      where ${contacts.investorId} = ${project.investorId} and ${contacts.ownerUnitId} in ${scopeUnits}
    union all select 'contact', a.entity_id from ${auditLog} a
      where a.entity_type = 'contact' and a.action = 'contact.delete' and a.before->>'investorId' = ${project.investorId}
        and a.unit_id in ${scopeUnits}`;
  const rows = await db
    .select(auditEntryColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      sql`(${auditLog.entityType}, ${auditLog.entityId}) in (select entity_type, entity_id from (${objects}) o)
        ${f.cursor ? sql`and ${auditLog.seq} < ${f.cursor}` : sql``}`,
    )
    .orderBy(desc(auditLog.seq))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const names = await resolveAuditNames(db, actor, page);
  return { rows: page, nextCursor: rows.length > f.limit ? page[page.length - 1]!.seq : null, names };
}
export type TProjectHistory = Awaited<ReturnType<typeof findProjectHistory>>;
