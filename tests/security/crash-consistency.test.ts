// Crash consistency on PostgreSQL: a large projects import is killed with SIGKILL at random points
// of its write phase (tests/security/support/import-child.ts calls importFile, as the CLI and the
// import page do), several times. After each kill the import must be entirely present or entirely
// absent — projects, investors, stage events and the import's audit entry alike. Then it runs to
// the end, and once more: the second run changes nothing and nothing is duplicated.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { eq, inArray, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, investors, projects, stageEvents } from "@/db/schema";
import { queryRows } from "@/db/client";
import { seedWorld, type TWorld } from "@/db/testing/factories";
import { createScratchPostgres, type TScratchDb } from "./support/scratch-postgres";

const ROWS = 1500;
const KILLS = 5;
const PROGRESS_EVERY = 200; // importFile reports the write phase every 200 rows

let pg: TScratchDb;
let w: TWorld;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-crash-"));
const file = path.join(dir, "projects.csv");
const codes = Array.from({ length: ROWS }, (_, i) => `CRASH-${String(i + 1).padStart(5, "0")}`);
const investorNames = [...new Set(codes.map((_, i) => `崩溃测试投资${Math.ceil((i + 1) / 3)}有限公司`))];

beforeAll(async () => {
  pg = await createScratchPostgres("sec_crash", { max: 3 });
  w = await seedWorld(pg.db);
  const header = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,统一社会信用代码,行业,来源渠道,计划投资额(万元),阶段,状态,接触日期,洽谈日期,签约日期,签约金额(万元),负责人";
  const lines = codes.map((code, i) => `${code},崩溃测试项目${i + 1}号,内资,大连市,${investorNames[Math.floor(i / 3)]},江苏,,新能源,展会,${1000 + i},洽谈,推进中,2026-01-05,2026-02-10,,,`);
  fs.writeFileSync(file, [header, ...lines].join("\r\n"));
}, 120_000);
afterAll(async () => {
  await pg?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type TRun = { exitCode: number | null; signal: NodeJS.Signals | null; lines: string[]; killedAt: string | null };

/**
 * Run the import in a child process; `killAfter(line)` returns a delay in ms to SIGKILL it after
 * that progress line (or null to let it go on).
 */
function runImport(killAfter: (line: string) => number | null = () => null): Promise<TRun> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/security/support/import-child.ts", pg.url, "projects", file, w.actors.admin.email], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: TRun = { exitCode: null, signal: null, lines: [], killedAt: null };
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  createInterface({ input: child.stdout }).on("line", (line) => {
    run.lines.push(line);
    const delay = run.killedAt === null ? killAfter(line) : null;
    if (delay !== null) {
      run.killedAt = `${line} +${delay} ms`;
      setTimeout(() => child.kill("SIGKILL"), delay);
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      run.exitCode = code;
      run.signal = signal;
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`import child failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

/** Wait until the killed client's server session is gone (its transaction rolled back, or committed). */
async function backendsSettled() {
  for (let i = 0; i < 200; i++) {
    const [r] = await queryRows<{ n: number }>(pg.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`);
    if (r!.n === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("a killed import's session never ended");
}

/** How much of the import is in the database. */
async function state() {
  const [p] = await pg.db.select({ n: sql<number>`count(*)::int` }).from(projects).where(like(projects.code, "CRASH-%"));
  const [inv] = await pg.db.select({ n: sql<number>`count(*)::int` }).from(investors).where(inArray(investors.name, investorNames));
  const [ev] = await pg.db
    .select({ n: sql<number>`count(*)::int` })
    .from(stageEvents)
    .innerJoin(projects, eq(projects.id, stageEvents.projectId))
    .where(like(projects.code, "CRASH-%"));
  const [imp] = await pg.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, "import.projects"));
  return { projects: p!.n, investors: inv!.n, events: ev!.n, imports: imp!.n };
}

const EMPTY = { projects: 0, investors: 0, events: 0 };
// each project: a contact and a negotiation event
const FULL = { projects: ROWS, investors: investorNames.length, events: ROWS * 2 };

describe("crash consistency on PostgreSQL", () => {
  it(`an import killed ${KILLS} times at random points is all there or not at all; re-running duplicates nothing`, { timeout: 600_000 }, async () => {
    const writeEvents = Math.floor(ROWS / PROGRESS_EVERY); // write 200/1500 … 1400/1500, then 1500/1500 after commit
    let allOrNothing = 0;
    let completedBeforeKill = 0;
    const points: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      // a random point: during validation, or after a random write-progress line, plus 0–150 ms
      const after = Math.floor(Math.random() * writeEvents); // 0: after validation, n: after the n-th write line
      const delay = Math.floor(Math.random() * 150);
      let writesSeen = 0;
      const run = await runImport((line) => {
        if (line === `progress validate ${ROWS} ${ROWS}`) return after === 0 ? delay : null;
        if (line.startsWith("progress write ") && !line.endsWith(` ${ROWS} ${ROWS}`)) return ++writesSeen === after ? delay : null;
        return null;
      });
      await backendsSettled();
      const s = await state();
      const completed = run.lines.some((l) => l.startsWith("result "));
      if (completed) completedBeforeKill++;
      const absent = s.projects === EMPTY.projects && s.investors === EMPTY.investors && s.events === EMPTY.events && s.imports === completedBeforeKill;
      const present = s.projects === FULL.projects && s.investors === FULL.investors && s.events === FULL.events && s.imports >= 1;
      expect(absent || present, `after kill ${k + 1} (${run.killedAt}): ${JSON.stringify(s)}`).toBe(true);
      // killed mid-write, nothing of it may be visible; a run that finished must be whole
      if (!completed) expect(run.signal).toBe("SIGKILL");
      if (absent || present) allOrNothing++;
      points.push(run.killedAt ?? "finished");
    }

    const first = await runImport();
    const firstResult = JSON.parse(first.lines.find((l) => l.startsWith("result "))!.slice(7));
    expect(firstResult.applied).toBe(true);
    expect(await state()).toMatchObject(FULL);
    const second = await runImport();
    const secondResult = JSON.parse(second.lines.find((l) => l.startsWith("result "))!.slice(7));
    expect(secondResult.counts).toEqual({ new: 0, updated: 0, unchanged: ROWS });
    const final = await state();
    const duplicates = final.projects - FULL.projects + (final.investors - FULL.investors) + (final.events - FULL.events);
    expect(duplicates).toBe(0);
    expect(final).toMatchObject(FULL);
    console.log(
      `crash consistency: ${KILLS} kills, ${allOrNothing} all-or-nothing, ${duplicates} duplicates after re-run (${ROWS}-row import; ${completedBeforeKill} finished before its kill; kill points: ${points.join(" | ")})`,
    );
  });
});
