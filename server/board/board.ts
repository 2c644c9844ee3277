// The pipeline board: columns by stage with counts and sums from the database (never from the
// cards loaded), and cards read a page at a time per column, so 20,000 projects stay usable.
import { aliasedTable, and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/client";
import { investors, projects, units, users } from "@/db/schema";
import { STAGES, type TStage } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { openFlaggedProjects } from "@/server/flags/find-flags";
import { getSettings } from "@/server/settings/settings";
import { projectFilterWhere, ZProjectFilters } from "@/server/projects/find-projects";
import { ZDate } from "@/server/projects/project-fields";
import { isMajorSql, isStaleSql } from "@/server/projects/project-scope";

const owners = aliasedTable(users, "owners");
export const BOARD_PAGE = 30;

export const ZBoardCards = z.object({
  filters: ZProjectFilters.default({}),
  stage: z.enum(STAGES),
  after: z.object({ stageSince: ZDate, code: z.string().max(40) }).nullish(),
  limit: z.number().int().min(1).max(100).default(BOARD_PAGE),
});

/** Per stage: how many projects, and planned and signed amounts by currency (CNY and USD apart). */
export async function boardColumns(db: Db, actor: Pick<TActor, "unitPath">, filters: z.input<typeof ZProjectFilters>) {
  const where = await projectFilterWhere(db, actor, ZProjectFilters.parse(filters));
  const rows = await queryRows<{ stage: TStage; n: number; planned_cny: string; planned_usd: string; signed_cny: string; signed_usd: string }>(
    db,
    sql`select ${projects.stage} as stage, count(*)::int as n,
        coalesce(sum(${projects.plannedAmount}) filter (where ${projects.capitalType} = 'domestic'), 0)::text as planned_cny,
        coalesce(sum(${projects.plannedAmount}) filter (where ${projects.capitalType} = 'foreign'), 0)::text as planned_usd,
        coalesce(sum(${projects.signedAmount}) filter (where ${projects.capitalType} = 'domestic'), 0)::text as signed_cny,
        coalesce(sum(${projects.signedAmount}) filter (where ${projects.capitalType} = 'foreign'), 0)::text as signed_usd
      from ${projects} join ${investors} on ${investors.id} = ${projects.investorId}
      where ${where} group by ${projects.stage}`,
  );
  return STAGES.map((stage) => {
    const r = rows.find((x) => x.stage === stage);
    return {
      stage,
      count: r?.n ?? 0,
      plannedCny: r?.planned_cny ?? "0",
      plannedUsd: r?.planned_usd ?? "0",
      signedCny: r?.signed_cny ?? "0",
      signedUsd: r?.signed_usd ?? "0",
    };
  });
}

/** One column's page of cards without their flagged badge (keyset: stage_since, code). */
async function columnPage(db: Db, actor: Pick<TActor, "unitPath">, input: z.input<typeof ZBoardCards>) {
  const f = ZBoardCards.parse(input);
  const settings = await getSettings(db);
  const where = await projectFilterWhere(db, actor, { ...f.filters, stage: undefined });
  const rows = await db
    .select({
      id: projects.id,
      version: projects.version,
      code: projects.code,
      name: projects.name,
      investorName: investors.name,
      unitName: units.name,
      ownerName: owners.name,
      capitalType: projects.capitalType,
      plannedAmount: projects.plannedAmount,
      signedAmount: projects.signedAmount,
      stage: projects.stage,
      status: projects.status,
      stageSince: projects.stageSince,
      isMajor: isMajorSql(settings),
      isStale: isStaleSql(settings.staleDays, todayCN()),
    })
    .from(projects)
    .innerJoin(investors, eq(investors.id, projects.investorId))
    .innerJoin(units, eq(units.id, projects.unitId))
    .leftJoin(owners, eq(owners.id, projects.ownerId))
    .where(
      and(
        where,
        eq(projects.stage, f.stage),
        f.filters.stage?.length && !f.filters.stage.includes(f.stage) ? sql`false` : undefined,
        // a row comparison, so "load more" seeks the index projects_board_idx (migration 0015)
        f.after ? sql`(${projects.stageSince}, ${projects.code}) > (${f.after.stageSince}::date, ${f.after.code})` : undefined,
      ),
    )
    .orderBy(asc(projects.stageSince), asc(projects.code))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { cards: page, next: rows.length > f.limit && last ? { stageSince: last.stageSince, code: last.code } : null };
}

type TPage = Awaited<ReturnType<typeof columnPage>>;

/** The flagged badge of the cards loaded: flags computed for those projects only, never the whole scope. */
async function withBadges(db: Db, actor: Pick<TActor, "unitPath">, pages: TPage[]) {
  const ids = pages.flatMap((p) => p.cards.map((c) => c.id));
  const flagged = ids.length ? await openFlaggedProjects(db, actor, ids) : new Set<string>();
  return pages.map((p) => ({ ...p, cards: p.cards.map((c) => ({ ...c, flagged: flagged.has(c.id) })) }));
}

/** One page of a column's cards, longest in stage first (keyset: stage_since, code). */
export async function boardCards(db: Db, actor: Pick<TActor, "unitPath">, input: z.input<typeof ZBoardCards>) {
  const [page] = await withBadges(db, actor, [await columnPage(db, actor, input)]);
  return page!;
}

/** The board's first screen: the columns' totals and each column's first page of cards. */
export async function loadBoard(db: Db, actor: Pick<TActor, "unitPath">, filters: z.input<typeof ZProjectFilters>) {
  const columns = await boardColumns(db, actor, filters);
  const pages = await withBadges(db, actor, await Promise.all(STAGES.map((stage) => columnPage(db, actor, { filters, stage }))));
  return columns.map((c, i) => ({ ...c, ...pages[i]! }));
}
