// npm run bench — generates a realistic volume deterministically and times the services against
// the same work written as hand-written SQL, in the same run (timings drift between runs on a
// shared machine: compare the ratios).
//
//   BENCH_PROJECTS=100000 BENCH_TRANCHES=1000000 npm run bench            # embedded PGlite
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # PostgreSQL
//
// On PostgreSQL a database "zt_bench" (BENCH_DB_NAME) is (re)created; on PGlite the folder
// .data/bench (BENCH_PGLITE_DIR). Before timing, the headline service and the hand-written query
// must give the same figures, every one of them, or the bench fails.
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openPglite, openPostgres, queryRows, type Db, type DbHandle } from "@/db/client";
import { LIAONING_UNITS } from "@/db/seed/liaoning";
import { SYSTEM_ACTOR } from "@/server/auth/actor";
import { previousYear } from "@/lib/periods";
import { computeHeadline, type TFigureBlock, type THeadline, type TUnitFigures } from "@/server/figures/headline";
import { comparePublished, publishFigures } from "@/server/figures/publish";
import { computePipeline } from "@/server/figures/pipeline";
import { findProjects } from "@/server/projects/find-projects";
import { writeProjectsCsv, writeProjectsXlsx } from "@/server/exports/project-export";
import { Writable } from "node:stream";
import { benchDailyWork } from "./bench-daily";

const N_PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const N_TRANCHES = Number(process.env.BENCH_TRANCHES ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);

const REUSE = process.env.BENCH_REUSE === "1"; // keep the generated data of a previous run
const DB_NAME = /^[a-z_][a-z0-9_]*$/.test(process.env.BENCH_DB_NAME ?? "") ? process.env.BENCH_DB_NAME! : "zt_bench";

/**
 * The app's handle — the services are timed as they run, as zt_app — and the owner's, for
 * generating the data and ANALYZE: zt_app owns no table, so its ANALYZE only notices "skipping".
 */
type TBenchDb = DbHandle & { asOwner: <T>(fn: (db: Db) => Promise<T>) => Promise<T> };

async function openPostgresBoth(url: string): Promise<TBenchDb> {
  const owner = await openPostgres(url, { max: 1, as: "owner" }); // one connection: generate()'s temporary tables stay visible
  const app = await openPostgres(url, { max: 4 });
  const close = async () => {
    await app.close();
    await owner.close();
  };
  return { ...app, asOwner: (fn) => fn(owner.db), close };
}

async function openPgliteBoth(dir: string): Promise<TBenchDb> {
  const h = await openPglite(dir); // one session: the owner's for a moment, as db/testing/test-db.ts does
  const asOwner: TBenchDb["asOwner"] = async (fn) => {
    await h.db.execute(sql`reset role`);
    try {
      return await fn(h.db);
    } finally {
      await h.db.execute(sql`set role zt_app`);
    }
  };
  return { ...h, asOwner };
}

async function open(): Promise<TBenchDb> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url && REUSE) {
    const u = new URL(url);
    u.pathname = `/${DB_NAME}`;
    return openPostgresBoth(u.toString());
  }
  if (url) {
    const { default: postgres } = await import("postgres");
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${DB_NAME}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${DB_NAME}`;
    return openPostgresBoth(u.toString());
  }
  const dir = path.resolve(process.env.BENCH_PGLITE_DIR ?? ".data/bench");
  if (REUSE) return openPgliteBoth(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.lock`, { force: true });
  return openPgliteBoth(dir);
}

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(ms(t0));
  }
  return median(runs);
}

/** Deterministic data, generated inside the database (hash of the row number, no random()). */
async function generate(db: Db) {
  const t0 = performance.now();
  for (const u of LIAONING_UNITS) {
    const parentPath = u.parent ? (await queryRows<{ path: string }>(db, sql`select path from units where code = ${u.parent}`))[0]!.path : "";
    await db.execute(sql`insert into units (code, name, kind, parent_id, path) values (${u.code}, ${u.name}, ${u.kind}, (select id from units where code = ${u.parent}), ${`${parentPath}${u.code}/`})`);
  }
  await db.execute(sql`insert into users (email, name, role, unit_id, password_hash) select 'bench' || i || '@zs.example', '测试' || i, 'staff', (select id from units where code = '210200'), 'x' from generate_series(1, 50) i`);
  const nInvestors = Math.max(100, Math.floor(N_PROJECTS / 5));
  await db.execute(sql`insert into investors (name, name_normalized, origin_region, owner_unit_id)
    select '测试投资' || i || '有限公司', '测试投资' || i, (array['320000','330000','440000','110000','310000','210100','210200'])[1 + abs(hashtext('o' || i)) % 7], (select id from units where code = '210000')
    from generate_series(1, ${nInvestors}::int) i`);
  await db.execute(sql`create temporary table bench_units as select id, row_number() over (order by code) as k from units where code <> '210000'`);
  await db.execute(sql`create temporary table bench_investors as select id, row_number() over (order by name) as k from investors`);
  const nUnits = LIAONING_UNITS.length - 1;
  await db.execute(sql`insert into projects (code, name, investor_id, capital_type, unit_id, industry, source_channel, planned_amount, stage, status, stage_since, origin_class, signed_on, signed_amount, created_at)
    select 'B-' || lpad(i::text, 7, '0'), '测试项目' || i, bi.id,
      case when abs(hashtext('c' || i)) % 5 = 0 then 'foreign' else 'domestic' end::capital_type, bu.id,
      'advanced_manufacturing', 'exhibition', (1000000 + abs(hashtext('p' || i)) % 2000000000)::numeric(20,2),
      (array['contact','negotiation','signed','funds'])[1 + abs(hashtext('s' || i)) % 4]::stage, 'active',
      date '2019-01-01' + abs(hashtext('d' || i)) % 2880,
      (array['abroad','out_of_province','out_of_city','local'])[1 + abs(hashtext('g' || i)) % 4]::origin_class,
      date '2019-06-01' + abs(hashtext('d' || i)) % 2700, (500000 + abs(hashtext('a' || i)) % 900000000)::numeric(20,2), now()
    from generate_series(1, ${N_PROJECTS}::int) i
    join bench_investors bi on bi.k = 1 + abs(hashtext('i' || i)) % ${nInvestors}::int
    join bench_units bu on bu.k = 1 + abs(hashtext('u' || i)) % ${nUnits}::int`);
  await db.execute(sql`create temporary table bench_projects as select id, row_number() over (order by code) as k from projects`);
  await db.execute(sql`insert into stage_events (project_id, to_stage, to_status, business_date, recorded_at)
    select p.id, 'contact', 'active', p.stage_since, now() from projects p`);
  await db.execute(sql`insert into stage_events (project_id, from_stage, to_stage, from_status, to_status, business_date, recorded_at, signed_amount)
    select p.id, 'negotiation', 'signed', 'active', 'active', p.signed_on, now(), p.signed_amount from projects p where p.stage in ('signed', 'funds')`);
  // signings corrected later (date and amount) and signings taken back: the figures read the signing in force
  await db.execute(sql`insert into stage_events (project_id, from_stage, to_stage, from_status, to_status, business_date, recorded_at, signed_amount)
    select p.id, p.stage, p.stage, 'active', 'active', p.signed_on + 3, now() + interval '1 second', p.signed_amount + 1000
    from projects p where p.stage in ('signed', 'funds') and abs(hashtext('x' || p.code)) % 50 = 0`);
  await db.execute(sql`insert into stage_events (project_id, from_stage, to_stage, from_status, to_status, business_date, recorded_at)
    select p.id, 'signed', 'negotiation', 'active', 'active', p.signed_on + 10, now() + interval '2 seconds'
    from projects p where p.stage = 'signed' and abs(hashtext('x' || p.code)) % 50 = 1`);
  // annual targets of the province and the cities (some 0: no target)
  await db.execute(sql`insert into targets (unit_id, year, metric, value)
    select u.id, y, m::target_metric,
      case when abs(hashtext(u.code || m || y)) % 9 = 0 then 0
        when m = 'signed_projects' then 50 + abs(hashtext(u.code || m || y)) % 900
        else (1 + abs(hashtext(u.code || m || y)) % 400)::numeric * 100000000 end
    from units u cross join unnest(array['domestic_funds', 'foreign_funds', 'out_of_province_funds', 'signed_projects']) m
      cross join generate_series(2019, 2027) y
    where u.code = '210000' or u.parent_id = (select id from units where code = '210000')`);
  const chunk = 200_000;
  for (let from = 1; from <= N_TRANCHES; from += chunk) {
    const to = Math.min(N_TRANCHES, from + chunk - 1);
    // reported 0–10 days after arrival, 4 % of them 30–120 days late, in office hours (China time),
    // never after now; verified or rejected 1–5 days after reporting, pending ones not yet
    await db.execute(sql`insert into tranches (project_id, amount, arrived_on, evidence_no, status, reported_at, verified_at)
      select bp.id,
        (10000 + abs(hashtext('m' || i)) % 50000000)::numeric(20,2) + (abs(hashtext('n' || i)) % 100) / 100.0,
        a.arrived, 'E' || i, a.status::tranche_status, r.reported,
        case when a.status <> 'pending' then least(r.reported + (1 + abs(hashtext('w' || i)) % 5) * interval '1 day' + (abs(hashtext('z' || i)) % 480) * interval '1 minute', now()) end
      from generate_series(${from}::int, ${to}::int) i
      cross join lateral (select date '2019-01-01' + abs(hashtext('r' || i)) % 2880 as arrived,
        (array['verified','verified','verified','verified','verified','verified','verified','verified','pending','rejected'])[1 + abs(hashtext('v' || i)) % 10] as status) a
      cross join lateral (select least(((a.arrived + case when abs(hashtext('l' || i)) % 100 < 4 then 30 + abs(hashtext('y' || i)) % 91 else abs(hashtext('y' || i)) % 11 end)::timestamp
        + interval '9 hours' + (abs(hashtext('h' || i)) % 480) * interval '1 minute') at time zone 'Asia/Shanghai', now()) as reported) r
      join bench_projects bp on bp.k = 1 + abs(hashtext('t' || i)) % ${N_PROJECTS}::int`);
    process.stdout.write(`  tranches ${to.toLocaleString()} / ${N_TRANCHES.toLocaleString()}\r`);
  }
  // period locks (the flags read them): the province locks each quarter 15 days after it ends, the
  // cities each month 12 days after; one city month in 25 was reopened 3 days later and locked again
  await db.execute(sql`insert into period_locks (unit_id, kind, period_start, period_end, locked_at, reopened_at, reopen_reason)
    select u.id, k.kind::period_kind, k.ps, k.pe, k.at, case when k.reopen then k.at + interval '3 days' end, case when k.reopen then '补录' end
    from units u cross join lateral (
      select 'quarter' as kind, q::date as ps, (q + interval '3 months' - interval '1 day')::date as pe,
        (q + interval '3 months' + interval '14 days' + interval '10 hours') at time zone 'Asia/Shanghai' as at, false as reopen
      from generate_series(timestamp '2019-01-01', localtimestamp, interval '3 months') q where u.kind = 'province'
      union all
      select 'month', m::date, (m + interval '1 month' - interval '1 day')::date,
        (m + interval '1 month' + interval '11 days' + interval '10 hours') at time zone 'Asia/Shanghai', abs(hashtext(u.code || m::date)) % 25 = 0
      from generate_series(timestamp '2019-01-01', localtimestamp, interval '1 month') m where u.kind = 'city'
    ) k where k.at < now()`);
  await db.execute(sql`insert into period_locks (unit_id, kind, period_start, period_end, locked_at)
    select unit_id, kind, period_start, period_end, locked_at + interval '5 days' from period_locks where reopened_at is not null and locked_at + interval '5 days' < now()`);
  // as autovacuum would have by now: statistics, and the visibility map the index-only scans need
  await db.execute(sql`vacuum (analyze)`);
  return ms(t0);
}

/**
 * The whole headline of a unit and its children — verified funds (period, a year earlier, year to
 * date) per capital type and out-of-province, signings with their funds-in-place rate and target
 * progress, pending tranches and targets — written by hand as one SQL query on the live tables.
 * Percentages are rounded half away from zero by PostgreSQL's round(numeric), like the spec says.
 */
function handWritten(db: Db, root: string, from: string, to: string) {
  const prev = previousYear({ from, to });
  const yfrom = `${to.slice(0, 4)}-01-01`;
  const lo = [from, prev.from, yfrom].sort()[0]!;
  const sLo = yfrom < from ? yfrom : from;
  const blocks = [
    ["dom", "capital_type = 'domestic'", "domestic_funds"],
    ["for", "capital_type = 'foreign'", "foreign_funds"],
    ["oop", "capital_type = 'domestic' and origin_class = 'out_of_province'", "out_of_province_funds"],
  ] as const;
  const cur = `d between '${from}' and '${to}'`;
  const prv = `d between '${prev.from}' and '${prev.to}'`;
  const ytd = `d between '${yfrom}' and '${to}'`;
  const aggCols = [
    ...blocks.flatMap(([k, c]) => [
      `count(distinct pid) filter (where k = 'f' and ${cur} and ${c}) as ${k}_p`,
      `sum(amount) filter (where k = 'f' and ${cur} and ${c}) as ${k}_f`,
      `count(distinct pid) filter (where k = 'f' and ${prv} and ${c}) as ${k}_pp`,
      `sum(amount) filter (where k = 'f' and ${prv} and ${c}) as ${k}_pf`,
      `sum(amount) filter (where k = 'f' and ${ytd} and ${c}) as ${k}_ytd`,
    ]),
    `count(*) filter (where k = 's' and ${cur}) as s_n`,
    `count(*) filter (where k = 's' and ${cur} and capital_type = 'domestic') as s_dn`,
    `sum(amount) filter (where k = 's' and ${cur} and capital_type = 'domestic') as s_da`,
    `sum(funds) filter (where k = 's' and ${cur} and capital_type = 'domestic') as s_dfunds`,
    `count(*) filter (where k = 's' and ${cur} and capital_type = 'foreign') as s_fn`,
    `sum(amount) filter (where k = 's' and ${cur} and capital_type = 'foreign') as s_fa`,
    `sum(funds) filter (where k = 's' and ${cur} and capital_type = 'foreign') as s_ffunds`,
    `count(*) filter (where k = 's' and ${ytd}) as s_ytd`,
    `count(*) filter (where k = 'p') as p_n`,
    `sum(amount) filter (where k = 'p' and capital_type = 'domestic') as p_da`,
    `sum(amount) filter (where k = 'p' and capital_type = 'foreign') as p_fa`,
  ];
  const money = (x: string) => `coalesce(${x}, 0)::numeric(20, 2)::text`;
  const pct = (part: string, whole: string) => `case when coalesce(${whole}, 0) = 0 then null else round(coalesce(${part}, 0)::numeric * 100 / ${whole}, 1)::text end`;
  const change = (a: string, b: string) => `case when coalesce(${b}, 0) = 0 then null else round((coalesce(${a}, 0) - ${b})::numeric * 100 / ${b}, 1)::text end`;
  const target = (m: string) => `(select t.value from targets t where t.unit_id = n.id and t.year = ${Number(to.slice(0, 4))} and t.metric = '${m}' and t.value <> 0)`;
  const outCols = [
    ...blocks.flatMap(([k, , m]) => [
      `coalesce(a.${k}_p, 0)::int as ${k}_projects`,
      `${money(`a.${k}_f`)} as ${k}_funds`,
      `${change(`a.${k}_p`, `a.${k}_pp`)} as ${k}_projects_yoy_pct`,
      `${change(`a.${k}_f`, `a.${k}_pf`)} as ${k}_funds_yoy_pct`,
      `${target(m)}::text as ${k}_target`,
      `${pct(`a.${k}_ytd`, target(m))} as ${k}_target_progress_pct`,
      `coalesce(a.${k}_pp, 0)::int as ${k}_prev_projects`,
      `${money(`a.${k}_pf`)} as ${k}_prev_funds`,
      `${money(`a.${k}_ytd`)} as ${k}_ytd_funds`,
    ]),
    `coalesce(a.s_n, 0)::int as s_projects`,
    `coalesce(a.s_dn, 0)::int as s_domestic_projects`,
    `${money("a.s_da")} as s_domestic_amount`,
    `coalesce(a.s_fn, 0)::int as s_foreign_projects`,
    `${money("a.s_fa")} as s_foreign_amount`,
    `round(${target("signed_projects")})::text as s_target`,
    `${pct("a.s_ytd", target("signed_projects"))} as s_target_progress_pct`,
    `${pct("a.s_dfunds", "a.s_da")} as s_domestic_funds_rate_pct`,
    `${pct("a.s_ffunds", "a.s_fa")} as s_foreign_funds_rate_pct`,
    `coalesce(a.p_n, 0)::int as p_tranches`,
    `${money("a.p_da")} as p_domestic_amount`,
    `${money("a.p_fa")} as p_foreign_amount`,
  ];
  return queryRows<Record<string, string | number | null>>(
    db,
    sql.raw(`with r as (select id, path from units where code = '${root}'),
      su as (
        select u.id, case when u.id = r.id then '' else split_part(substr(u.path, length(r.path) + 1), '/', 1) end as bucket
        from units u join r on u.path like r.path || '%'
      ),
      p as not materialized (select p.id, p.capital_type, p.origin_class, su.bucket from projects p join su on su.id = p.unit_id where p.deleted_at is null),
      -- the signing in force: the latest event carrying a signed amount, unless a later one moved the project back
      sg as (
        select * from (
          select distinct on (e.project_id) e.project_id, e.business_date, e.signed_amount
          from stage_events e
          where (e.signed_amount is not null and e.to_stage in ('signed', 'funds')) or (e.from_stage in ('signed', 'funds') and e.to_stage in ('contact', 'negotiation'))
          order by e.project_id, e.recorded_at desc, e.id desc
        ) x where x.signed_amount is not null
      ),
      facts as (
        select p.bucket, 'f' as k, p.id as pid, p.capital_type::text, p.origin_class::text, t.amount, t.arrived_on as d, null::numeric as funds
          from tranches t join p on p.id = t.project_id
          where t.status = 'verified' and t.arrived_on between '${lo}' and '${to}'
        union all
        select p.bucket, 'p', p.id, p.capital_type::text, p.origin_class::text, t.amount, t.arrived_on, null
          from tranches t join p on p.id = t.project_id
          where t.status = 'pending' and t.arrived_on between '${from}' and '${to}'
        union all
        select p.bucket, 's', p.id, p.capital_type::text, p.origin_class::text, sg.signed_amount, sg.business_date,
            (select coalesce(sum(v.amount), 0) from tranches v where v.project_id = sg.project_id and v.status = 'verified')
          from sg join p on p.id = sg.project_id
          where sg.business_date between '${sLo}' and '${to}'
      ),
      agg as (
        select grouping(bucket) = 1 as total, bucket, ${aggCols.join(",\n          ")}
        from facts group by grouping sets ((bucket), ())
      ),
      n as (
        select u.id, u.code, u.name, true as is_root from units u join r on r.id = u.id
        union all
        select u.id, u.code, u.name, false from units u join r on u.parent_id = r.id
      )
      select n.code, n.name, n.is_root, ${outCols.join(",\n        ")}
      from n left join agg a on (n.is_root and a.total) or (not n.is_root and not a.total and a.bucket = n.code)
      order by n.is_root desc, n.code`),
  );
}

/** The figures both ways in one shape: every figure of the unit and of each child, nothing derived from the schedule. */
function comparable(h: THeadline) {
  const b = (x: TFigureBlock) => ({
    projects: x.projects, funds: x.funds, projects_yoy_pct: x.projects_yoy_pct, funds_yoy_pct: x.funds_yoy_pct, target: x.target,
    target_progress_pct: x.target_progress_pct, prev_projects: x.prev_projects, prev_funds: x.prev_funds, ytd_funds: x.ytd_funds,
  });
  const u = (x: TUnitFigures) => ({
    unit: x.unit, name: x.name, domestic: b(x.domestic), foreign: b(x.foreign), out_of_province: b(x.out_of_province),
    signed: { ...x.signed }, pending: { ...x.pending },
  });
  return [u(h), ...h.children.map(u)];
}
function comparableRows(rows: Array<Record<string, string | number | null>>) {
  const b = (r: Record<string, string | number | null>, k: string) => ({
    projects: Number(r[`${k}_projects`]), funds: r[`${k}_funds`], projects_yoy_pct: r[`${k}_projects_yoy_pct`], funds_yoy_pct: r[`${k}_funds_yoy_pct`],
    target: r[`${k}_target`], target_progress_pct: r[`${k}_target_progress_pct`], prev_projects: Number(r[`${k}_prev_projects`]),
    prev_funds: r[`${k}_prev_funds`], ytd_funds: r[`${k}_ytd_funds`],
  });
  return rows.map((r) => ({
    unit: r.code, name: r.name, domestic: b(r, "dom"), foreign: b(r, "for"), out_of_province: b(r, "oop"),
    signed: {
      projects: Number(r.s_projects), domestic_projects: Number(r.s_domestic_projects), domestic_amount: r.s_domestic_amount,
      foreign_projects: Number(r.s_foreign_projects), foreign_amount: r.s_foreign_amount, target: r.s_target,
      target_progress_pct: r.s_target_progress_pct, domestic_funds_rate_pct: r.s_domestic_funds_rate_pct, foreign_funds_rate_pct: r.s_foreign_funds_rate_pct,
    },
    pending: { tranches: Number(r.p_tranches), domestic_amount: r.p_domestic_amount, foreign_amount: r.p_foreign_amount },
  }));
}

/** Fails the bench unless the service and the hand-written query agree on every figure. */
async function assertSame(db: Db, label: string, root: string, period: { from: string; to: string }) {
  const service = comparable(await computeHeadline(db, SYSTEM_ACTOR, { unit: root, ...period }));
  const raw = comparableRows(await handWritten(db, root, period.from, period.to));
  const a = JSON.stringify(service);
  const b = JSON.stringify(raw);
  if (a !== b) {
    const at = [...a].findIndex((ch, i) => ch !== b[i]);
    throw new Error(`${label}: the service and the hand-written SQL disagree near …${a.slice(Math.max(0, at - 160), at + 80)}… vs …${b.slice(Math.max(0, at - 160), at + 80)}…`);
  }
  console.log(`  ${label}: service = hand-written SQL (${service.length} units, every figure)`);
}

async function main() {
  const h = await open();
  const kind = h.kind === "postgres" ? "PostgreSQL" : "PGlite";
  console.log(`bench: ${kind}, ${N_PROJECTS.toLocaleString()} projects, ${N_TRANCHES.toLocaleString()} tranches, median of ${REPEAT} runs`);
  const existing = (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from projects`))[0]!.n;
  if (!REUSE || existing === 0) {
    const gen = await h.asOwner(generate);
    console.log(`\n  generated in ${(gen / 1000).toFixed(1)} s`);
  } else console.log(`  reusing ${existing.toLocaleString()} projects`);
  const rows: Array<[string, number, number | null]> = [];
  const quarter = { from: "2026-01-01", to: "2026-03-31" };
  const janSep = { from: "2026-01-01", to: "2026-09-30" };
  await assertSame(h.db, "province Q1", "210000", quarter);
  await assertSame(h.db, "province Jan–Sep", "210000", janSep);
  await assertSame(h.db, "city Q1", "210200", quarter);
  const like = "(funds, signed, pending, targets)";
  rows.push([`headline, province Q1 ${like}`, await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210000", ...quarter })), await time(() => handWritten(h.db, "210000", quarter.from, quarter.to))]);
  rows.push(["headline, province Jan–Sep", await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210000", ...janSep })), await time(() => handWritten(h.db, "210000", janSep.from, janSep.to))]);
  rows.push(["headline, city Q1", await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210200", ...quarter })), await time(() => handWritten(h.db, "210200", quarter.from, quarter.to))]);
  rows.push(["headline, province Q1, as of a past moment", await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210000", ...quarter, asOf: new Date(Date.now() - 1000) })), null]);
  // publishing (the figures, the rows behind them, the audit entry) and comparing the record with now
  const [publisher] = await queryRows<{ id: string }>(h.db, sql`select id from users order by email limit 1`);
  const leader = { ...SYSTEM_ACTOR, id: publisher!.id } as unknown as Parameters<typeof publishFigures>[1];
  let published = "";
  rows.push(["publish, province Q1 (figures and the rows behind them)", await time(async () => (published = (await publishFigures(h.db, leader, { unit: "210000", ...quarter })).id)), null]);
  rows.push(["compare the published province Q1 with now, row by row", await time(() => comparePublished(h.db, leader, published)), null]);
  rows.push(["pipeline (funnel, medians, lists), province", await time(() => computePipeline(h.db, SYSTEM_ACTOR, { unit: "210000" })), null]);
  rows.push(["project list, page 1 of 50, sorted by update", await time(() => findProjects(h.db, SYSTEM_ACTOR, { pageSize: 50 })), null]);
  rows.push(["project list, page 400 (offset 20,000)", await time(() => findProjects(h.db, SYSTEM_ACTOR, { pageSize: 50, page: 401 })), null]);
  rows.push(["project list, search '项目4242'", await time(() => findProjects(h.db, SYSTEM_ACTOR, { q: "项目4242" })), null]);
  // daily work: flags page, project flags, board, follow-ups, search (scripts/bench-daily.ts)
  rows.push(...(await benchDailyWork(h.db, time)));

  if (process.env.BENCH_EXPORTS !== "0") await benchExports(h.db, h.asOwner);

  console.log(`\n${"work".padEnd(72)} ${"service ms".padStart(11)} ${"SQL ms".padStart(9)} ${"ratio".padStart(7)}`);
  for (const [label, s, r] of rows)
    console.log(`${label.padEnd(72)} ${s.toFixed(1).padStart(11)} ${(r === null ? "—" : r.toFixed(1)).padStart(9)} ${(r === null ? "" : `${(s / r).toFixed(2)}×`).padStart(7)}`);
  if (exportLines.length) console.log(`\n${exportLines.join("\n")}`);
  await h.close();
}

/** A sink that drops the bytes (but counts them), so only the export's own work is measured. */
function nullSink() {
  let bytes = 0;
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      setImmediate(cb); // asynchronous, like a socket: the writer has to respect backpressure
    },
  });
  return { w, bytes: () => bytes };
}

/** Time and peak memory of streaming the project list as CSV and XLSX at 100k and 1M rows. */
async function benchExports(db: Db, asOwner: TBenchDb["asOwner"]) {
  const sizes = (process.env.BENCH_EXPORT_ROWS ?? "100000,1000000").split(",").map(Number);
  const results: string[] = [];
  for (const size of sizes) {
    const have = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from projects`))[0]!.n;
    if (have < size) {
      process.stdout.write(`  adding ${(size - have).toLocaleString()} projects for the ${size.toLocaleString()}-row export …\n`);
      const nUnits = LIAONING_UNITS.length - 1;
      const nInv = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from investors`))[0]!.n;
      for (let from = have + 1; from <= size; from += 200_000) {
        const to = Math.min(size, from + 199_999);
        await db.execute(sql`insert into projects (code, name, investor_id, capital_type, unit_id, industry, source_channel, planned_amount, stage, status, stage_since, origin_class)
          select 'B-' || lpad(i::text, 7, '0'), '测试项目' || i, bi.id, case when abs(hashtext('c' || i)) % 5 = 0 then 'foreign' else 'domestic' end::capital_type, bu.id,
            'advanced_manufacturing', 'exhibition', (1000000 + abs(hashtext('p' || i)) % 2000000000)::numeric(20,2),
            (array['contact','negotiation','signed','funds'])[1 + abs(hashtext('s' || i)) % 4]::stage, 'active', date '2019-01-01' + abs(hashtext('d' || i)) % 2880,
            (array['abroad','out_of_province','out_of_city','local'])[1 + abs(hashtext('g' || i)) % 4]::origin_class
          from generate_series(${from}::int, ${to}::int) i
          join (select id, row_number() over (order by name) as k from investors) bi on bi.k = 1 + abs(hashtext('i' || i)) % ${nInv}::int
          join (select id, row_number() over (order by code) as k from units where code <> '210000') bu on bu.k = 1 + abs(hashtext('u' || i)) % ${nUnits}::int`);
      }
      await asOwner((owner) => owner.execute(sql`analyze projects`));
    }
    for (const format of ["csv", "xlsx"] as const) {
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
      const sink = nullSink();
      const t0 = performance.now();
      // the first `size` projects by code: exactly `size` rows
      const filters = { q: undefined } as const;
      const n =
        format === "csv"
          ? await writeProjectsCsv(db, SYSTEM_ACTOR, filters, "zh-CN", sink.w)
          : await writeProjectsXlsx(db, { ...SYSTEM_ACTOR, unitName: "辽宁省" }, filters, "zh-CN", sink.w, { stageReport: false });
      const took = performance.now() - t0;
      clearInterval(timer);
      results.push(
        `export ${format.toUpperCase().padEnd(4)} ${n.toLocaleString().padStart(9)} rows: ${(took / 1000).toFixed(1).padStart(6)} s, ${(n / (took / 1000)).toFixed(0).padStart(7)} rows/s, ${(sink.bytes() / 1e6).toFixed(0).padStart(5)} MB written, peak RSS +${((peak - base) / 1e6).toFixed(0)} MB (of ${(peak / 1e6).toFixed(0)} MB)`,
      );
      process.stdout.write(`  ${results[results.length - 1]}\n`);
    }
  }
  exportLines.push(...results);
}
const exportLines: string[] = [];

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
