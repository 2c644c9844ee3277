import { and, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { investors, projects, units, users } from "@/db/schema";
import { referencedIds, type TAuditNames } from "@/lib/audit-diff";
import type { TActor } from "@/server/auth/actor";
import { inScope } from "@/server/auth/scope";

/**
 * Names for the ids audit snapshots mention (owner, reporter, unit, investor, project), so a change
 * reads "张专员 → 刘专员" rather than two uuids. Units, investors and projects are named only
 * inside the viewer's scope; people are named as everywhere else an action's author is shown.
 */
export async function resolveAuditNames(
  db: Db,
  actor: Pick<TActor, "unitPath">,
  entries: Array<{ entityType: string; entityId: string; before: unknown; after: unknown }>,
): Promise<TAuditNames> {
  const ids = referencedIds(entries);
  const list = (s: Set<string>) => [...s].slice(0, 1000);
  const [u, un, inv, pr] = await Promise.all([
    ids.users.size ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, list(ids.users))) : [],
    ids.units.size ? db.select({ id: units.id, name: units.name }).from(units).where(and(inArray(units.id, list(ids.units)), inScope(units.id, actor))) : [],
    ids.investors.size
      ? db
          .select({ id: investors.id, name: investors.name })
          .from(investors)
          .where(
            and(
              inArray(investors.id, list(ids.investors)),
              or(
                inScope(investors.ownerUnitId, actor),
                sql`exists (select 1 from ${projects} p where p.investor_id = ${investors.id} and p.deleted_at is null
                  and p.unit_id in (select id from ${units} where path like ${`${actor.unitPath}%`}))`,
              ),
            ),
          )
      : [],
    ids.projects.size
      ? db
          .select({ id: projects.id, code: projects.code, name: projects.name })
          .from(projects)
          .where(and(inArray(projects.id, list(ids.projects)), isNull(projects.deletedAt), inScope(projects.unitId, actor)))
      : [],
  ]);
  return {
    users: Object.fromEntries(u.map((r) => [r.id, r.name])),
    units: Object.fromEntries(un.map((r) => [r.id, r.name])),
    investors: Object.fromEntries(inv.map((r) => [r.id, r.name])),
    projects: Object.fromEntries(pr.map((r) => [r.id, `${r.code} ${r.name}`])),
  };
}
