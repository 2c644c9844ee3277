// "My follow-ups": next steps due or overdue, stale projects and 三未 projects — the user's own
// (staff) or those of their units (leaders, admins). Always inside the scope.
import { and, asc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { activities, investors, projects, units, users } from "@/db/schema";
import { addDays, todayCN } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { getSettings } from "@/server/settings/settings";
import { isStaleSql, projectInScope } from "@/server/projects/project-scope";

export const ZFollowUps = z.object({
  mine: z.boolean().optional(), // leaders: only my own (default: everything in my units)
  soonDays: z.number().int().min(0).max(90).default(7),
  threeNotDays: z.number().int().min(1).max(3650).optional(),
});

const cardColumns = {
  id: projects.id,
  code: projects.code,
  name: projects.name,
  unitName: units.name,
  investorName: investors.name,
  ownerName: users.name,
  stage: projects.stage,
  status: projects.status,
  stageSince: projects.stageSince,
  lastActivityOn: projects.lastActivityOn,
  signedOn: projects.signedOn,
  registeredOn: projects.registeredOn,
  constructionOn: projects.constructionOn,
  capitalType: projects.capitalType,
  signedAmount: projects.signedAmount,
  version: projects.version,
};

export async function findFollowUps(db: Db, actor: TActor, input: z.input<typeof ZFollowUps> = {}, today = todayCN()) {
  const f = ZFollowUps.parse(input);
  const settings = await getSettings(db);
  const onlyMine = actor.role === "staff" || f.mine;
  const mineProject: SQL | undefined = onlyMine ? eq(projects.ownerId, actor.id) : undefined;

  const steps = await db
    .select({
      id: activities.id,
      version: activities.version,
      kind: activities.kind,
      occurredOn: activities.occurredOn,
      summary: activities.summary,
      nextStep: activities.nextStep,
      nextDueOn: activities.nextDueOn,
      authorName: users.name,
      projectId: projects.id,
      projectCode: projects.code,
      projectName: projects.name,
      unitName: units.name,
    })
    .from(activities)
    .innerJoin(projects, eq(projects.id, activities.projectId))
    .innerJoin(units, eq(units.id, projects.unitId))
    .leftJoin(users, eq(users.id, activities.createdBy))
    .where(
      and(
        projectInScope(actor),
        isNull(activities.deletedAt),
        isNull(activities.nextDoneAt),
        sql`${activities.nextStep} is not null`,
        sql`${activities.nextDueOn} <= ${addDays(today, f.soonDays)}`,
        onlyMine ? or(eq(activities.createdBy, actor.id), eq(projects.ownerId, actor.id)) : undefined,
      ),
    )
    .orderBy(asc(activities.nextDueOn))
    .limit(200);

  const stale = await db
    .select(cardColumns)
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .innerJoin(investors, eq(investors.id, projects.investorId))
    .leftJoin(users, eq(users.id, projects.ownerId))
    .where(and(projectInScope(actor), isStaleSql(settings.staleDays, today), mineProject))
    .orderBy(sql`coalesce(${projects.lastActivityOn}, ${projects.stageSince}) asc`)
    .limit(200);

  const days = f.threeNotDays ?? settings.threeNotDays;
  const threeNot = await queryRows<{ id: string; code: string; name: string; unit_name: string; owner_name: string | null; signed_on: string; not_registered: boolean; not_started: boolean; not_funded: boolean }>(
    db,
    sql`select p.id, p.code, p.name, u.name as unit_name, o.name as owner_name, p.signed_on::text as signed_on,
        p.registered_on is null as not_registered, p.construction_on is null as not_started,
        not exists (select 1 from tranches t where t.project_id = p.id and t.status = 'verified') as not_funded
      from ${projects} p join ${units} u on u.id = p.unit_id left join ${users} o on o.id = p.owner_id
      where p.deleted_at is null and p.unit_id in (select id from units where path like ${`${actor.unitPath}%`})
        and p.stage in ('signed', 'funds') and p.status <> 'lost' and p.signed_on < ${addDays(today, -days)}
        and (p.registered_on is null or p.construction_on is null
          or not exists (select 1 from tranches t where t.project_id = p.id and t.status = 'verified'))
        ${onlyMine ? sql`and p.owner_id = ${actor.id}` : sql``}
      order by p.signed_on asc limit 500`,
  );
  return { today, soonDays: f.soonDays, staleDays: settings.staleDays, threeNotDays: days, mine: !!onlyMine, steps, stale, threeNot };
}
export type TFollowUps = Awaited<ReturnType<typeof findFollowUps>>;
