import { aliasedTable, and, asc, count, desc, eq, ilike, inArray, like, not, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { investors, projects, units, users } from "@/db/schema";
import { CAPITAL_TYPES, INDUSTRIES, ORIGIN_CLASSES, SOURCE_CHANNELS, STAGES, STATUSES } from "@/lib/domain";
import { normalizeCreditCode } from "@/lib/credit-code";
import type { TActor } from "@/server/auth/actor";
import { getSettings } from "@/server/settings/settings";
import { getUnit } from "@/server/units/units";
import { todayCN } from "@/lib/dates";
import { hasTrancheSql, isMajorSql, isStaleSql, isUnfundedSql, projectInScope } from "./project-scope";
import { ZDate } from "./project-fields";

export const PROJECT_SORTS = ["code", "name", "investor", "unit", "stage", "planned", "signed", "signedOn", "stageSince", "updated"] as const;

const ZRange = z.object({ from: ZDate, to: ZDate });

const list = <T extends readonly [string, ...string[]]>(values: T) => z.array(z.enum(values)).max(values.length).optional();

export const ZProjectFilters = z.object({
  q: z.string().trim().max(100).optional(),
  stage: list(STAGES),
  status: list(STATUSES),
  capitalType: z.enum(CAPITAL_TYPES).optional(),
  originClass: list(ORIGIN_CLASSES),
  sourceChannel: z.enum(SOURCE_CHANNELS).optional(),
  industry: z.enum(INDUSTRIES).optional(),
  unit: z.string().trim().max(40).optional(), // unit code or id: that unit and its descendants
  ownerId: z.uuid().optional(),
  major: z.boolean().optional(),
  emerging: z.boolean().optional(),
  // drill-downs from the dashboard
  funded: ZRange.optional(), // has verified funds arriving in the range
  pendingIn: ZRange.optional(), // has funds awaiting verification in the range
  signedIn: ZRange.optional(), // signing date in the range
  stale: z.boolean().optional(),
  unfunded: z.boolean().optional(),
});
export type TProjectFilters = z.input<typeof ZProjectFilters>;

export const ZFindProjects = ZProjectFilters.extend({
  sort: z.enum(PROJECT_SORTS).default("updated"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type TFindProjects = z.input<typeof ZFindProjects>;

const owners = aliasedTable(users, "owners");

/** WHERE clause for the filters, always inside the actor's scope (shared with exports and the board). */
export async function projectFilterWhere(db: Db, actor: Pick<TActor, "unitPath">, f: z.output<typeof ZProjectFilters>) {
  const where: (SQL | undefined)[] = [projectInScope(actor)];
  if (f.unit) {
    // a unit outside scope filters to nothing, exactly like an unknown unit
    const unit = await getUnit(db, actor, f.unit).catch(() => null);
    where.push(unit ? sql`${projects.unitId} in (select ${units.id} from ${units} where ${units.path} like ${`${unit.path}%`})` : sql`false`);
  }
  if (f.stage?.length) where.push(inArray(projects.stage, f.stage));
  if (f.status?.length) where.push(inArray(projects.status, f.status));
  if (f.capitalType) where.push(eq(projects.capitalType, f.capitalType));
  if (f.originClass?.length) where.push(inArray(projects.originClass, f.originClass));
  if (f.sourceChannel) where.push(eq(projects.sourceChannel, f.sourceChannel));
  if (f.industry) where.push(eq(projects.industry, f.industry));
  if (f.ownerId) where.push(eq(projects.ownerId, f.ownerId));
  if (f.emerging !== undefined) where.push(eq(projects.isEmerging, f.emerging));
  if (f.major !== undefined) {
    const major = isMajorSql(await getSettings(db));
    where.push(f.major ? major : not(major));
  }
  if (f.funded) where.push(hasTrancheSql("verified", f.funded.from, f.funded.to));
  if (f.pendingIn) where.push(hasTrancheSql("pending", f.pendingIn.from, f.pendingIn.to));
  if (f.signedIn) where.push(sql`${projects.signedOn} between ${f.signedIn.from} and ${f.signedIn.to}`);
  if (f.stale) where.push(isStaleSql((await getSettings(db)).staleDays, todayCN()));
  if (f.unfunded) where.push(isUnfundedSql());
  if (f.q) {
    const term = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(projects.name, term),
        ilike(projects.code, term),
        ilike(investors.name, term),
        like(investors.creditCode, `%${normalizeCreditCode(f.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
      ),
    );
  }
  return and(...where)!;
}

export async function findProjects(db: Db, actor: Pick<TActor, "unitPath">, input: TFindProjects) {
  const f = ZFindProjects.parse(input);
  const where = await projectFilterWhere(db, actor, f);
  const settings = await getSettings(db);
  const sortColumn = {
    code: projects.code,
    name: projects.name,
    investor: investors.name,
    unit: units.path,
    stage: sql`array_position(array['contact','negotiation','signed','funds']::stage[], ${projects.stage})`,
    planned: projects.plannedAmount,
    signed: projects.signedAmount,
    signedOn: projects.signedOn,
    stageSince: projects.stageSince,
    updated: projects.updatedAt,
  }[f.sort];
  const order = f.dir === "asc" ? asc(sortColumn) : sql`${sortColumn} desc nulls last`;

  const base = db
    .select({
      id: projects.id,
      code: projects.code,
      name: projects.name,
      investorName: investors.name,
      capitalType: projects.capitalType,
      unitCode: units.code,
      unitName: units.name,
      ownerName: owners.name,
      stage: projects.stage,
      status: projects.status,
      plannedAmount: projects.plannedAmount,
      signedAmount: projects.signedAmount,
      signedOn: projects.signedOn,
      stageSince: projects.stageSince,
      originClass: projects.originClass,
      isMajor: isMajorSql(settings),
      updatedAt: projects.updatedAt,
    })
    .from(projects)
    .innerJoin(investors, eq(investors.id, projects.investorId))
    .innerJoin(units, eq(units.id, projects.unitId))
    .leftJoin(owners, eq(owners.id, projects.ownerId))
    .where(where);

  const [rows, [total]] = await Promise.all([
    base.orderBy(order, desc(projects.id)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
    db
      .select({ n: count() })
      .from(projects)
      .innerJoin(investors, eq(investors.id, projects.investorId))
      .where(where),
  ]);
  return { rows, total: total?.n ?? 0, page: f.page, pageSize: f.pageSize };
}
