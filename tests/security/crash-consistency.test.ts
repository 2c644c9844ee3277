// Crash consistency: a large projects import is killed with SIGKILL at random points of its write
// phase (tests/security/support/import-child.ts calls importFile, as the CLI and the import page
// do), several times, on both databases the product runs on:
// - PostgreSQL: the killed process is a client; the server rolls its transaction back;
// - embedded PGlite (the default setup): the killed process IS the database, so a kill stops the
//   database mid-write and the folder is recovered by the next process that opens it.
// Each kill interrupts a file of its own (so a run that happened to finish first does not turn
// the later ones into no-ops). After each — counted only if it landed before the import finished,
// and proven mid-write when the child had already reported rows written inside the transaction —
// that import must be entirely present or entirely absent (projects, investors, stage events and
// the import's audit entry alike), read by a fresh process, and the audit chain must still verify.
// Then the first file runs to the end, and once more: the second run changes nothing and nothing
// is duplicated.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, queryRows } from "@/db/client";
import { seedWorld } from "@/db/testing/factories";
import { crashState, type TCrashState } from "./support/crash-state";
import { createScratchPostgres, type TScratchDb } from "./support/scratch-postgres";

const ROWS = 1500;
const KILLS = 6;
const crashPrefix = (k: number) => ({ code: `CRASH${k}-`, investor: `崩溃测试${k}投资` });
const CALIBRATE = { code: "CALIB-", investor: "校准测试投资" };
type TPrefix = typeof CALIBRATE;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-crash-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A projects file of ROWS rows (three projects per investor); each project gets a contact and a negotiation event. */
function projectsFile(prefix: TPrefix) {
  const file = path.join(dir, `${prefix.code}${Math.random().toString(36).slice(2)}.csv`);
  const header = "项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,统一社会信用代码,行业,来源渠道,计划投资额(万元),阶段,状态,接触日期,洽谈日期,签约日期,签约金额(万元),负责人";
  const lines = Array.from(
    { length: ROWS },
    (_, i) => `${prefix.code}${String(i + 1).padStart(5, "0")},${prefix.investor}项目${i + 1}号,内资,大连市,${prefix.investor}${Math.floor(i / 3) + 1}有限公司,江苏,,新能源,展会,${1000 + i},洽谈,推进中,2026-01-05,2026-02-10,,,`,
  );
  fs.writeFileSync(file, [header, ...lines].join("\r\n"));
  return file;
}
const EMPTY = { projects: 0, investors: 0, events: 0 };
const FULL = { projects: ROWS, investors: ROWS / 3, events: ROWS * 2 };

type TLine = { text: string; at: number };
type TRun = { signal: NodeJS.Signals | null; lines: TLine[]; killedAt: string | null };

function child(args: string[], killAfter: (line: string) => number | null = () => null): Promise<TRun> {
  const proc = spawn(process.execPath, ["--import", "tsx", "tests/security/support/import-child.ts", ...args], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: TRun = { signal: null, lines: [], killedAt: null };
  let stderr = "";
  proc.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  createInterface({ input: proc.stdout }).on("line", (text) => {
    run.lines.push({ text, at: Date.now() });
    const delay = run.killedAt === null ? killAfter(text) : null;
    if (delay !== null) {
      run.killedAt = `${text} +${delay} ms`;
      setTimeout(() => proc.kill("SIGKILL"), delay);
    }
  });
  return new Promise((resolve, reject) => {
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      run.signal = signal;
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`import child failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

const isMidWrite = (l: string) => /^progress write (\d+) (\d+)$/.test(l) && Number(l.split(" ")[2]) < Number(l.split(" ")[3]);
const resultOf = (run: TRun) => {
  const line = run.lines.find((l) => l.text.startsWith("result "));
  return line ? (JSON.parse(line.text.slice(7)) as { applied: boolean; counts: Record<string, number> }) : null;
};

type TTarget = {
  url: string;
  adminEmail: string;
  /** the import's footprint, read once the killed process is gone */
  state: (prefix: TPrefix) => Promise<TCrashState>;
  teardown: () => Promise<void>;
};

const BACKENDS: Array<{ name: string; open: () => Promise<TTarget> }> = [
  {
    name: "PostgreSQL",
    open: async () => {
      const pg: TScratchDb = await createScratchPostgres("sec_crash", { max: 3 });
      const w = await seedWorld(pg.db);
      /** Wait until the killed client's server session is gone (its transaction rolled back, or committed). */
      const settled = async () => {
        for (let i = 0; i < 200; i++) {
          const [r] = await queryRows<{ n: number }>(
            pg.db,
            sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`,
          );
          if (r!.n === 0) return;
          await new Promise((res) => setTimeout(res, 50));
        }
        throw new Error("a killed import's session never ended");
      };
      return {
        url: pg.url,
        adminEmail: w.actors.admin.email,
        state: async (prefix) => (await settled(), crashState(pg.db, prefix)),
        teardown: () => pg.drop(),
      };
    },
  },
  {
    name: "embedded PGlite",
    open: async () => {
      const dataDir = path.join(dir, "pglite");
      const h = await openPglite(dataDir);
      const w = await seedWorld(h.db);
      await h.close();
      const url = `pglite:${dataDir}`;
      return {
        url,
        adminEmail: w.actors.admin.email,
        // a new process opens the folder the killed one left behind
        state: async (prefix) => {
          const run = await child([url, "state", prefix.code, prefix.investor]);
          return JSON.parse(run.lines.find((l) => l.text.startsWith("state "))!.text.slice(6)) as TCrashState;
        },
        teardown: async () => {},
      };
    },
  },
];

const figures: string[] = [];
afterAll(() => {
  for (const f of figures) console.log(f);
});

describe.each(BACKENDS)("crash consistency on $name", ({ name, open }) => {
  let target: TTarget;
  beforeAll(async () => {
    target = await open();
  }, 180_000);
  afterAll(() => target?.teardown());

  it(`an import killed ${KILLS} times at random points of its write phase is all there or not at all; re-running duplicates nothing`, { timeout: 900_000 }, async () => {
    const importRun = (file: string, killAfter?: (line: string) => number | null) => child([target.url, "projects", file, target.adminEmail], killAfter);

    // calibration: a full import of other rows shows how the write phase reports and how long it takes
    const calibration = await importRun(projectsFile(CALIBRATE));
    expect(resultOf(calibration)?.applied).toBe(true);
    const validated = calibration.lines.find((l) => l.text === `progress validate ${ROWS} ${ROWS}`)!;
    const written = calibration.lines.find((l) => l.text === `progress write ${ROWS} ${ROWS}`)!;
    const midLines = calibration.lines.filter((l) => isMidWrite(l.text)).length;
    const writeMs = written.at - validated.at;
    expect(midLines, "the import reports rows written inside its transaction (a kill after one is a kill mid-write)").toBeGreaterThan(0);
    let imports = (await target.state(CALIBRATE)).imports;

    const files = Array.from({ length: KILLS }, (_, k) => projectsFile(crashPrefix(k)));
    let allOrNothing = 0;
    let completedBeforeKill = 0;
    let midWrite = 0;
    const points: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      // alternately: right after the n-th row-count line of the transaction (certainly mid-write),
      // or a random share of the write phase's duration (as calibrated) after validation ended
      const nth = 1 + Math.floor(Math.random() * midLines);
      const byLine = k % 2 === 0;
      const delay = byLine ? Math.floor(Math.random() * 20) : Math.floor((0.05 + 0.6 * Math.random()) * writeMs);
      let seen = 0;
      const run = await importRun(files[k]!, (line) => {
        if (byLine) return isMidWrite(line) && ++seen === nth ? delay : null;
        return line === `progress validate ${ROWS} ${ROWS}` ? delay : null;
      });
      const completed = !!resultOf(run) || run.lines.some((l) => l.text === `progress write ${ROWS} ${ROWS}`);
      if (completed) completedBeforeKill++;
      else {
        expect(run.signal, `kill ${k + 1}`).toBe("SIGKILL");
        if (run.lines.some((l) => isMidWrite(l.text))) midWrite++;
      }
      const s = await target.state(crashPrefix(k));
      // the import's own audit entry comes and goes with its rows
      const absent = s.projects === EMPTY.projects && s.investors === EMPTY.investors && s.events === EMPTY.events && s.imports === imports;
      const present = s.projects === FULL.projects && s.investors === FULL.investors && s.events === FULL.events && s.imports === imports + 1;
      if (present) imports++;
      expect(absent || present, `after kill ${k + 1} (${run.killedAt}): ${JSON.stringify(s)}`).toBe(true);
      // a finished run must be whole; one killed before its end must have left nothing
      if (!completed) expect(absent, `kill ${k + 1} before the end left ${JSON.stringify(s)}`).toBe(true);
      expect(s.chain, `audit chain after kill ${k + 1}`).toBe("ok");
      if (absent || present) allOrNothing++;
      points.push(run.killedAt ?? "finished");
    }
    expect(completedBeforeKill, "kills that landed before the import finished").toBeLessThan(KILLS);
    expect(midWrite, "kills that landed inside the write transaction").toBeGreaterThan(0);

    // the first file (killed mid-write) runs to the end, then again
    const first = await importRun(files[0]!);
    expect(resultOf(first)?.applied).toBe(true);
    expect(await target.state(crashPrefix(0))).toMatchObject(FULL);
    const second = await importRun(files[0]!);
    expect(resultOf(second)?.counts).toEqual({ new: 0, updated: 0, unchanged: ROWS });
    const final = await target.state(crashPrefix(0));
    const duplicates = final.projects - FULL.projects + (final.investors - FULL.investors) + (final.events - FULL.events);
    expect(duplicates).toBe(0);
    expect(final).toMatchObject({ ...FULL, chain: "ok" });
    figures.push(
      `crash consistency (${name}): ${KILLS} kills, ${KILLS - completedBeforeKill} before the import finished (${midWrite} mid-transaction), ${allOrNothing} all-or-nothing, ${duplicates} duplicates after re-run, audit chain ok (${ROWS}-row import, write phase ~${writeMs} ms; kill points: ${points.join(" | ")})`,
    );
  });
});
