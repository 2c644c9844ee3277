// npm run bench — generates a realistic volume deterministically and times the services against
// the same work written as hand-written SQL, in the same run (timings drift between runs on a
// shared machine: compare the ratios).
//
//   BENCH_PROJECTS=100000 BENCH_TRANCHES=1000000 npm run bench            # embedded PGlite
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # PostgreSQL
//
// On PostgreSQL a database "zt_bench" is (re)created; on PGlite a folder under .data/bench.
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openPglite, openPostgres, queryRows, type Db, type DbHandle } from "@/db/client";
import { LIAONING_UNITS } from "@/db/seed/liaoning";
import { SYSTEM_ACTOR } from "@/server/auth/actor";
import { computeHeadline } from "@/server/figures/headline";
import { computePipeline } from "@/server/figures/pipeline";
import { findProjects } from "@/server/projects/find-projects";
import { writeProjectsCsv, writeProjectsXlsx } from "@/server/exports/project-export";
import { Writable } from "node:stream";

const N_PROJECTS = Number(process.env.BENCH_PROJECTS ?? 100_000);
const N_TRANCHES = Number(process.env.BENCH_TRANCHES ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);

const REUSE = process.env.BENCH_REUSE === "1"; // keep the generated data of a previous run

async function open(): Promise<DbHandle> {
  const url = process.env.BENCH_DATABASE_URL;
  if (url && REUSE) {
    const u = new URL(url);
    u.pathname = "/zt_bench";
    return openPostgres(u.toString(), { max: 4 });
  }
  if (url) {
    const { default: postgres } = await import("postgres");
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe("DROP DATABASE IF EXISTS zt_bench WITH (FORCE)");
    await admin.unsafe("CREATE DATABASE zt_bench");
    await admin.end();
    const u = new URL(url);
    u.pathname = "/zt_bench";
    return openPostgres(u.toString(), { max: 4 });
  }
  const dir = path.resolve(".data/bench");
  if (REUSE) return openPglite(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.lock`, { force: true });
  return openPglite(dir);
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
  const chunk = 200_000;
  for (let from = 1; from <= N_TRANCHES; from += chunk) {
    const to = Math.min(N_TRANCHES, from + chunk - 1);
    await db.execute(sql`insert into tranches (project_id, amount, arrived_on, evidence_no, status, reported_at, verified_at)
      select bp.id,
        (10000 + abs(hashtext('m' || i)) % 50000000)::numeric(20,2) + (abs(hashtext('n' || i)) % 100) / 100.0,
        date '2019-01-01' + abs(hashtext('r' || i)) % 2880, 'E' || i,
        (array['verified','verified','verified','verified','verified','verified','verified','verified','pending','rejected'])[1 + abs(hashtext('v' || i)) % 10]::tranche_status,
        now(), now()
      from generate_series(${from}::int, ${to}::int) i
      join bench_projects bp on bp.k = 1 + abs(hashtext('t' || i)) % ${N_PROJECTS}::int`);
    process.stdout.write(`  tranches ${to.toLocaleString()} / ${N_TRANCHES.toLocaleString()}\r`);
  }
  await db.execute(sql`analyze`);
  return ms(t0);
}

/** The same aggregate as the headline's funds figures, as one hand-written query. */
function handWritten(db: Db, from: string, to: string, pfrom: string, pto: string, yfrom: string) {
  return queryRows(
    db,
    sql.raw(`select split_part(substr(u.path, 8), '/', 1) as bucket,
        count(distinct p.id) filter (where t.arrived_on between '${from}' and '${to}' and p.capital_type = 'domestic') as dom_p,
        sum(t.amount) filter (where t.arrived_on between '${from}' and '${to}' and p.capital_type = 'domestic') as dom_f,
        count(distinct p.id) filter (where t.arrived_on between '${pfrom}' and '${pto}' and p.capital_type = 'domestic') as dom_pp,
        sum(t.amount) filter (where t.arrived_on between '${pfrom}' and '${pto}' and p.capital_type = 'domestic') as dom_pf,
        sum(t.amount) filter (where t.arrived_on between '${yfrom}' and '${to}' and p.capital_type = 'domestic') as dom_ytd,
        count(distinct p.id) filter (where t.arrived_on between '${from}' and '${to}' and p.capital_type = 'foreign') as for_p,
        sum(t.amount) filter (where t.arrived_on between '${from}' and '${to}' and p.capital_type = 'foreign') as for_f,
        count(distinct p.id) filter (where t.arrived_on between '${pfrom}' and '${pto}' and p.capital_type = 'foreign') as for_pp,
        sum(t.amount) filter (where t.arrived_on between '${pfrom}' and '${pto}' and p.capital_type = 'foreign') as for_pf,
        sum(t.amount) filter (where t.arrived_on between '${yfrom}' and '${to}' and p.capital_type = 'foreign') as for_ytd,
        count(distinct p.id) filter (where t.arrived_on between '${from}' and '${to}' and p.origin_class = 'out_of_province' and p.capital_type = 'domestic') as oop_p,
        sum(t.amount) filter (where t.arrived_on between '${from}' and '${to}' and p.origin_class = 'out_of_province' and p.capital_type = 'domestic') as oop_f
      from tranches t join projects p on p.id = t.project_id join units u on u.id = p.unit_id
      where t.status = 'verified' and p.deleted_at is null and u.path like '210000/%'
        and t.arrived_on between '${pfrom}' and '${to}'
      group by 1`),
  );
}

async function main() {
  const h = await open();
  const kind = h.kind === "postgres" ? "PostgreSQL" : "PGlite";
  console.log(`bench: ${kind}, ${N_PROJECTS.toLocaleString()} projects, ${N_TRANCHES.toLocaleString()} tranches, median of ${REPEAT} runs`);
  const existing = (await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from projects`))[0]!.n;
  if (!REUSE || existing === 0) {
    const gen = await generate(h.db);
    console.log(`\n  generated in ${(gen / 1000).toFixed(1)} s`);
  } else console.log(`  reusing ${existing.toLocaleString()} projects`);
  const rows: Array<[string, number, number | null]> = [];
  const quarter = { from: "2026-01-01", to: "2026-03-31" };
  const service = await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210000", ...quarter }));
  const raw = await time(() => handWritten(h.db, quarter.from, quarter.to, "2025-01-01", "2025-03-31", "2026-01-01"));
  rows.push(["headline, province Q1 (service: funds + signed + pending + targets + 14 cities)", service, raw]);
  const ytdService = await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210000", from: "2026-01-01", to: "2026-09-30" }));
  const ytdRaw = await time(() => handWritten(h.db, "2026-01-01", "2026-09-30", "2025-01-01", "2025-09-30", "2026-01-01"));
  rows.push(["headline, province Jan–Sep", ytdService, ytdRaw]);
  rows.push(["headline, city Q1", await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210200", ...quarter })), null]);
  rows.push(["headline, province Q1, as of a past moment", await time(() => computeHeadline(h.db, SYSTEM_ACTOR, { unit: "210000", ...quarter, asOf: new Date(Date.now() - 1000) })), null]);
  rows.push(["pipeline (funnel, medians, lists), province", await time(() => computePipeline(h.db, SYSTEM_ACTOR, { unit: "210000" })), null]);
  rows.push(["project list, page 1 of 50, sorted by update", await time(() => findProjects(h.db, SYSTEM_ACTOR, { pageSize: 50 })), null]);
  rows.push(["project list, page 400 (offset 20,000)", await time(() => findProjects(h.db, SYSTEM_ACTOR, { pageSize: 50, page: 401 })), null]);
  rows.push(["project list, search '项目4242'", await time(() => findProjects(h.db, SYSTEM_ACTOR, { q: "项目4242" })), null]);

  if (process.env.BENCH_EXPORTS !== "0") await benchExports(h.db);

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
async function benchExports(db: Db) {
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
      await db.execute(sql`analyze projects`);
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
