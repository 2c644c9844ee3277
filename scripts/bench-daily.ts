// The daily-work part of `npm run bench` (scripts/bench.ts): the flags page and the dashboard's
// flags widget, the project page's flags, the board (first screen, then "load more"), follow-ups
// and search, at the bench scale, each beside the same work written by hand in SQL where one query
// can say it.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { addDays, todayCN } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { findFollowUps } from "@/server/activities/follow-ups";
import { boardCards, loadBoard } from "@/server/board/board";
import { findFlags, findProjectFlags } from "@/server/flags/find-flags";
import { globalSearch } from "@/server/search/search";

type TRow = [label: string, service: number, handWritten: number | null];

const STAGES = sql`array['contact','negotiation','signed','funds']`;

/**
 * The four rules about one project's own rows, counted by hand with the same indexes (migration
 * 0012), and the first page of the first rule: the least work any flags page must do. (The two
 * cross-unit rules need more than one query can say: their groups, the names compared.)
 */
function handCountedFlags(db: Db, today: string, page = 0) {
  const days = sql`(((t.reported_at at time zone 'UTC') + interval '8 hours')::date - t.arrived_on)`;
  return queryRows(
    db,
    sql`with bd as (
        select t.id, t.arrived_on from tranches t join projects p on p.id = t.project_id
        where p.deleted_at is null and t.status <> 'rejected' and ${days} > 30
        union all
        select t.id, t.arrived_on
        from (select d::date as day, min(l.locked_at) as first_at from period_locks l
              cross join generate_series(l.period_start::timestamp, l.period_end::timestamp, interval '1 day') d group by 1) ld
          join tranches t on t.arrived_on = ld.day and t.reported_at > ld.first_at and t.status <> 'rejected' and ${days} <= 30
          join projects p on p.id = t.project_id join units pu on pu.id = p.unit_id
        where p.deleted_at is null and exists (select 1 from period_locks l join units lu on lu.id = l.unit_id
          where t.arrived_on between l.period_start and l.period_end and pu.path like lu.path || '%' and t.reported_at > l.locked_at)
      )
      select (select count(*) from bd) as backdated,
        (select count(*) from projects p join (select project_id, sum(amount) as v from tranches where status = 'verified' group by project_id) v on v.project_id = p.id
          where p.deleted_at is null and p.signed_amount > 0 and v.v > p.signed_amount) as over_signed,
        (select count(*) from stage_events e join projects p on p.id = e.project_id
          where p.deleted_at is null and e.from_stage is not null
            and array_position(${STAGES}, e.from_stage::text) + 1 < array_position(${STAGES}, e.to_stage::text)) as skipped,
        (select count(*) from projects p where p.deleted_at is null and p.stage in ('signed', 'funds') and p.status <> 'lost'
          and ${today}::date - p.signed_on > 180
          and (p.registered_on is null or p.construction_on is null
            or not exists (select 1 from tranches t where t.project_id = p.id and t.status = 'verified'))) as three_not,
        (select json_agg(x) from (select id, arrived_on from bd order by arrived_on desc, id limit ${page}) x) as page`,
  );
}

/** One project's tranches recorded late or after a lock, and whether it is over its signing, by hand. */
function handProjectFlags(db: Db, projectId: string) {
  return queryRows(
    db,
    sql`select t.id from tranches t join projects p on p.id = t.project_id join units pu on pu.id = p.unit_id
      where p.id = ${projectId}::uuid and t.status <> 'rejected'
        and ((((t.reported_at at time zone 'UTC') + interval '8 hours')::date - t.arrived_on) > 30
          or exists (select 1 from period_locks l join units lu on lu.id = l.unit_id
            where t.arrived_on between l.period_start and l.period_end and pu.path like lu.path || '%' and t.reported_at > l.locked_at))
      union all
      select p.id from projects p where p.id = ${projectId}::uuid and p.signed_amount > 0
        and (select sum(amount) from tranches t where t.project_id = p.id and t.status = 'verified') > p.signed_amount`,
  );
}

/** A board column's page of 30 cards by keyset, by hand (no badges). */
function handBoardPage(db: Db, stage: string, after: { stageSince: string; code: string } | null) {
  return queryRows(
    db,
    sql`select p.id, p.code, p.name, i.name as investor, u.name as unit, o.name as owner, p.planned_amount, p.signed_amount, p.stage_since
      from projects p join investors i on i.id = p.investor_id join units u on u.id = p.unit_id left join users o on o.id = p.owner_id
      where p.deleted_at is null and p.stage = ${stage}::stage
        ${after ? sql`and (p.stage_since, p.code) > (${after.stageSince}::date, ${after.code})` : sql``}
      order by p.stage_since, p.code limit 31`,
  );
}

export async function benchDailyWork(db: Db, time: (fn: () => Promise<unknown>) => Promise<number>): Promise<TRow[]> {
  const today = todayCN();
  const [someone] = await queryRows<{ id: string }>(db, sql`select id::text as id from users order by email limit 1`);
  const leader: TActor = {
    id: someone?.id ?? "00000000-0000-0000-0000-000000000000", email: "bench", name: "bench", role: "leader",
    unitId: "", unitCode: "210000", unitName: "辽宁省", unitPath: "", locale: "zh-CN",
  };
  const rows: TRow[] = [];
  const flags = await findFlags(db, leader, { status: "open", pageSize: 50 });
  const total = Object.values(flags.counts).reduce((n, c) => n + c.open + c.reviewed, 0);
  const byRule = Object.entries(flags.counts).map(([r, c]) => `${r} ${(c.open + c.reviewed).toLocaleString()}`).join(", ");
  console.log(`  flags of the province: ${total.toLocaleString()} (${byRule})`);
  rows.push([
    `flags page 1 of 50 + counts per rule, province leader (${total.toLocaleString()} flags)`,
    await time(() => findFlags(db, leader, { status: "open", pageSize: 50 })),
    await time(() => handCountedFlags(db, today, 50)),
  ]);
  rows.push(["dashboard flags widget (open counts per rule)", await time(() => findFlags(db, leader, { status: "open", pageSize: 1 })), await time(() => handCountedFlags(db, today))]);
  rows.push(["flags page 20, one rule (三未)", await time(() => findFlags(db, leader, { rule: "three_not", status: "all", page: 20, pageSize: 50 })), null]);
  rows.push(["flags page 100 of 50 (two-step page)", await time(() => findFlags(db, leader, { status: "all", page: 100, pageSize: 50 })), null]);
  rows.push(["flags of one city (unit filter), page 1", await time(() => findFlags(db, leader, { unit: "210200", pageSize: 50 })), null]);
  const [busy] = await queryRows<{ id: string }>(db, sql`select project_id::text as id from tranches group by project_id order by count(*) desc limit 1`);
  if (busy) rows.push(["project page: one project's flags (its most-funded)", await time(() => findProjectFlags(db, leader, busy.id)), await time(() => handProjectFlags(db, busy.id))]);

  rows.push([
    "board first screen (totals + 4 × 30 cards + badges)",
    await time(() => loadBoard(db, leader, {})),
    await time(() => Promise.all(["contact", "negotiation", "signed", "funds"].map((s) => handBoardPage(db, s, null)))),
  ]);
  const first = await boardCards(db, leader, { stage: "signed", filters: {} });
  const after = first.next;
  rows.push([
    "board 'load more' (next 30 cards of a column + badges)",
    await time(() => boardCards(db, leader, { stage: "signed", filters: {}, after })),
    await time(() => handBoardPage(db, "signed", after)),
  ]);

  rows.push([
    "follow-ups of a leader (3 lists, pages of 50, real totals)",
    await time(() => findFollowUps(db, leader, { pageSize: 50 }, today)),
    await time(() =>
      queryRows(
        db,
        sql`select count(*) over () as n, p.id from projects p
          where p.deleted_at is null and p.status = 'active' and p.stage <> 'funds' and greatest(p.last_activity_on, p.stage_since) < ${addDays(today, -30)}::date
          order by greatest(p.last_activity_on, p.stage_since), p.code limit 50`,
      ),
    ),
  ]);
  rows.push([
    "search '项目4242' (projects, investors, contacts)",
    await time(() => globalSearch(db, leader, { q: "项目4242" })),
    await time(() => queryRows(db, sql`select id, code, name from projects where deleted_at is null and (name ilike '%项目4242%' or code ilike '%项目4242%') order by code limit 6`)),
  ]);
  return rows;
}
