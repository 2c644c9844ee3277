// "My follow-ups": next steps due or overdue, stale projects and 三未 projects — the user's own
// (staff) or those of their units (leaders, admins). Always inside the scope. Each list is paged
// with its real total from the database: nothing stops silently at N rows.
import { and, asc, count, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { activities, investors, projects, units, users } from "@/db/schema";
import { addDays, todayCN } from "@/lib/dates";
import { threeNotItems } from "@/lib/flags";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { isThreeNotSql, threeNotColumns, type TThreeNotColumns } from "@/server/flags/three-not";
import { getSettings } from "@/server/settings/settings";
import { isStaleSql, projectInScope, quietSinceSql } from "@/server/projects/project-scope";

const ZPage = z.number().int().min(1).max(100_000).default(1);

export const ZFollowUps = z.object({
  mine: z.boolean().optional(), // leaders: only my own (default: everything in my units)
  soonDays: z.number().int().min(0).max(90).default(7),
  threeNotDays: z.number().int().min(1).max(3650).optional(),
  pageSize: z.number().int().min(1).max(200).default(50),
  stepsPage: ZPage,
  stalePage: ZPage,
  threeNotPage: ZPage,
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
  /** the later of the last activity and the last stage change: how long it has been quiet */
  quietSince: quietSinceSql,
  signedOn: projects.signedOn,
  registeredOn: projects.registeredOn,
  constructionOn: projects.constructionOn,
  capitalType: projects.capitalType,
  signedAmount: projects.signedAmount,
  version: projects.version,
};

const paged = <T>(rows: T[], total: number, page: number, pageSize: number) => ({ rows, total, page, pageSize });

export async function findFollowUps(db: Db, actor: TActor, input: z.input<typeof ZFollowUps> = {}, today = todayCN()) {
  const f = ZFollowUps.parse(input);
  const settings = await getSettings(db);
  const onlyMine = actor.role === "staff" || !!f.mine;
  const offset = (page: number) => (page - 1) * f.pageSize;

  const stepsWhere = and(
    projectInScope(actor),
    isNull(activities.deletedAt),
    isNull(activities.nextDoneAt),
    sql`${activities.nextStep} is not null`,
    sql`${activities.nextDueOn} <= ${addDays(today, f.soonDays)}`,
    onlyMine ? or(eq(activities.createdBy, actor.id), eq(projects.ownerId, actor.id)) : undefined,
  );
  const [steps, [stepsCount]] = await Promise.all([
    db
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
      .where(stepsWhere)
      .orderBy(asc(activities.nextDueOn), asc(activities.id))
      .limit(f.pageSize)
      .offset(offset(f.stepsPage)),
    db.select({ n: count() }).from(activities).innerJoin(projects, eq(projects.id, activities.projectId)).where(stepsWhere),
  ]);

  const staleWhere = and(projectInScope(actor), isStaleSql(settings.staleDays, today), onlyMine ? eq(projects.ownerId, actor.id) : undefined);
  const [stale, [staleCount]] = await Promise.all([
    db
      .select(cardColumns)
      .from(projects)
      .innerJoin(units, eq(units.id, projects.unitId))
      .innerJoin(investors, eq(investors.id, projects.investorId))
      .leftJoin(users, eq(users.id, projects.ownerId))
      .where(staleWhere)
      .orderBy(asc(quietSinceSql), asc(projects.code))
      .limit(f.pageSize)
      .offset(offset(f.stalePage)),
    db.select({ n: count() }).from(projects).where(staleWhere),
  ]);

  // the same definition as the 三未 integrity flag; only the number of days may differ (the page's "after N days")
  const days = f.threeNotDays ?? settings.threeNotDays;
  const threeNotWhere: SQL = sql`p.deleted_at is null and p.unit_id in (select id from ${units} where path like ${subtreePattern(actor.unitPath)})
    and ${isThreeNotSql(days, today)}${onlyMine ? sql` and p.owner_id = ${actor.id}` : sql``}`;
  const [threeNotRows, [threeNotCount]] = await Promise.all([
    queryRows<TThreeNotColumns & { id: string; code: string; name: string; unit_name: string; owner_name: string | null; signed_on: string }>(
      db,
      sql`select p.id::text as id, p.code, p.name, u.name as unit_name, o.name as owner_name, p.signed_on::text as signed_on, ${threeNotColumns}
        from ${projects} p join ${units} u on u.id = p.unit_id left join ${users} o on o.id = p.owner_id
        where ${threeNotWhere}
        order by p.signed_on asc, p.code asc limit ${f.pageSize} offset ${offset(f.threeNotPage)}`,
    ),
    queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${projects} p where ${threeNotWhere}`),
  ]);
  const threeNot = threeNotRows.map(({ registered_on, construction_on, funded, ...r }) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    unitName: r.unit_name,
    ownerName: r.owner_name,
    signedOn: r.signed_on,
    missing: threeNotItems({ registeredOn: registered_on, constructionOn: construction_on, hasVerifiedFunds: Boolean(funded) }),
  }));

  return {
    today,
    soonDays: f.soonDays,
    staleDays: settings.staleDays,
    threeNotDays: days,
    mine: onlyMine,
    steps: paged(steps, Number(stepsCount?.n ?? 0), f.stepsPage, f.pageSize),
    stale: paged(stale, Number(staleCount?.n ?? 0), f.stalePage, f.pageSize),
    threeNot: paged(threeNot, Number(threeNotCount?.n ?? 0), f.threeNotPage, f.pageSize),
  };
}
export type TFollowUps = Awaited<ReturnType<typeof findFollowUps>>;
