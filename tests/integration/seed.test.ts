// The demo data a fresh installation starts with (README "Start it"): the unit tree of Liaoning,
// a pipeline in every stage and status with its history, funds, follow-ups and targets, and the
// README's demo sign-ins; figures that look like a real province's on any day. Then the start-up
// step that loads it into an empty embedded database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as s from "@/db/schema";
import { buildDemo, DEMO_LOGINS, demoLockedQuarters, seedDemo } from "@/db/seed/demo";
import { actorOf } from "@/db/testing/factories";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { addDays, daysBetween, todayCN } from "@/lib/dates";
import { STAGES, STATUSES } from "@/lib/domain";
import { dec } from "@/lib/money";
import type { TActor } from "@/server/auth/actor";
import { authenticate, loadActor } from "@/server/auth/authenticate";
import { computeHeadline } from "@/server/figures/headline";
import { isStaleSql, quietSinceSql } from "@/server/projects/project-scope";
import { getSettings } from "@/server/settings/settings";

const PASSWORD = "Demo-seed-2026";
// GB/T 2260: the province and its 14 prefecture-level cities
const CITIES: Array<[string, string]> = [
  ["210100", "沈阳市"], ["210200", "大连市"], ["210300", "鞍山市"], ["210400", "抚顺市"], ["210500", "本溪市"], ["210600", "丹东市"], ["210700", "锦州市"],
  ["210800", "营口市"], ["210900", "阜新市"], ["211000", "辽阳市"], ["211100", "盘锦市"], ["211200", "铁岭市"], ["211300", "朝阳市"], ["211400", "葫芦岛市"],
];

let t: TTestDb;
let summary: Awaited<ReturnType<typeof seedDemo>>;
beforeAll(async () => {
  t = await createTestDb();
  summary = await seedDemo(t.db, { password: PASSWORD });
}, 300_000);
afterAll(() => t?.close());

const countOf = async (table: typeof s.contacts | typeof s.activities) => (await t.db.select({ n: count() }).from(table))[0]!.n;

describe("seedDemo", () => {
  it("builds 辽宁省 with its 14 cities under their GB/T 2260 codes, and some development zones", async () => {
    const units = await t.db.select().from(s.units);
    const province = units.find((u) => u.code === "210000")!;
    expect(province).toMatchObject({ name: "辽宁省", kind: "province", parentId: null, path: "210000/" });
    const cities = units.filter((u) => u.kind === "city").map((u) => [u.code, u.name]).sort();
    expect(cities).toEqual(CITIES);
    expect(units.filter((u) => u.kind === "city").every((u) => u.parentId === province.id && u.path === `210000/${u.code}/`)).toBe(true);
    const zones = units.filter((u) => u.kind === "zone");
    expect(zones.length).toBeGreaterThanOrEqual(3);
    expect(zones.every((z) => /开发区|园区|新区/.test(z.name))).toBe(true);
    // every zone sits under a city, and paths agree with parents
    const byId = new Map(units.map((u) => [u.id, u]));
    for (const u of units.filter((x) => x.parentId)) expect(u.path).toBe(`${byId.get(u.parentId!)!.path}${u.code}/`);
    expect(zones.every((z) => byId.get(z.parentId!)!.kind === "city")).toBe(true);
  });

  it("has projects in every stage × status, each with an investor and a stage history that ends where the project is", async () => {
    const projects = await t.db.select().from(s.projects);
    expect(projects.length).toBe(summary.projects);
    expect(projects.length).toBeGreaterThanOrEqual(300);
    const pairs = new Set(projects.map((p) => `${p.stage}×${p.status}`));
    const missing = STAGES.flatMap((st) => STATUSES.map((x) => `${st}×${x}`)).filter((k) => !pairs.has(k));
    expect(missing, "stage × status pairs with no demo project").toEqual([]);
    expect(projects.filter((p) => p.status !== "active").every((p) => !!p.statusReason)).toBe(true);

    const investors = await t.db.select({ id: s.investors.id }).from(s.investors);
    expect(investors.length).toBe(summary.investors);
    const investorIds = new Set(investors.map((i) => i.id));
    expect(projects.every((p) => investorIds.has(p.investorId))).toBe(true);
    expect(await countOf(s.contacts)).toBeGreaterThan(0);

    const events = await t.db.select().from(s.stageEvents).orderBy(s.stageEvents.businessDate, s.stageEvents.recordedAt);
    const last = new Map<string, (typeof events)[number]>();
    const firsts = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      last.set(e.projectId, e);
      if (!firsts.has(e.projectId)) firsts.set(e.projectId, e);
    }
    const wrong = projects.filter((p) => last.get(p.id)?.toStage !== p.stage || last.get(p.id)?.toStatus !== p.status).map((p) => p.code);
    expect(wrong, "projects whose last stage event is not their stage and status").toEqual([]);
    expect(projects.every((p) => firsts.get(p.id)!.fromStage === null && firsts.get(p.id)!.toStage === "contact")).toBe(true);
    expect(events.length).toBeGreaterThan(projects.length * 1.5);
    const today = todayCN();
    expect(events.every((e) => e.businessDate <= today && e.recordedAt.getTime() <= Date.now())).toBe(true);
  });

  it("has tranches verified, pending and rejected, activities and this and last year's targets", async () => {
    const tranches = await t.db.select({ status: s.tranches.status, projectId: s.tranches.projectId }).from(s.tranches);
    expect(tranches.length).toBe(summary.tranches);
    expect(new Set(tranches.map((x) => x.status))).toEqual(new Set(["verified", "pending", "rejected"]));
    const funded = new Set((await t.db.select({ id: s.projects.id }).from(s.projects).where(eq(s.projects.stage, "funds"))).map((p) => p.id));
    expect(tranches.every((x) => funded.has(x.projectId))).toBe(true);
    // money arrives in a registered company's account: every funded project was registered by then
    const firstFunds = await t.db
      .select({ code: s.projects.code, registeredOn: s.projects.registeredOn, first: sql<string>`min(${s.tranches.arrivedOn})` })
      .from(s.projects)
      .innerJoin(s.tranches, eq(s.tranches.projectId, s.projects.id))
      .groupBy(s.projects.id);
    expect(firstFunds.length).toBeGreaterThan(100);
    expect(firstFunds.filter((p) => !p.registeredOn || p.registeredOn > p.first).map((p) => p.code), "funded before registration").toEqual([]);
    expect(await countOf(s.activities)).toBe(summary.activities);
    expect(summary.activities).toBeGreaterThan(100);

    const year = Number(todayCN().slice(0, 4));
    const targets = await t.db
      .select({ code: s.units.code, year: s.targets.year, metric: s.targets.metric })
      .from(s.targets)
      .innerJoin(s.units, eq(s.units.id, s.targets.unitId));
    for (const y of [year - 1, year])
      for (const code of ["210000", ...CITIES.map(([c]) => c)])
        expect(targets.filter((x) => x.year === y && x.code === code).map((x) => x.metric).sort(), `${code} ${y}`).toEqual(
          ["domestic_funds", "foreign_funds", "out_of_province_funds", "signed_projects"],
        );
    // last year's quarters were reported and locked
    const locks = await t.db.select().from(s.periodLocks);
    expect(locks.filter((l) => l.kind === "quarter" && !l.reopenedAt && l.periodStart.startsWith(String(year - 1))).map((l) => l.periodStart).sort()).toEqual(
      demoLockedQuarters(todayCN()).map((n) => `${year - 1}-${["01-01", "04-01", "07-01", "10-01"][n - 1]}`),
    );
  });

  it("creates the README's five demo sign-ins, each signing in with the demo password in its role and unit", async () => {
    const readme = fs.readFileSync(path.join(process.cwd(), "README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| (admin|leader|staff) \([^)]*\) \| `([^`]+@zs\.example)` \| (\S+) \|/gm)].map((m) => ({ role: m[1], email: m[2], unit: m[3] }));
    expect(rows).toHaveLength(5);
    const unitNames = new Map((await t.db.select().from(s.units)).map((u) => [u.code, u.name]));
    expect(DEMO_LOGINS.map((l) => ({ role: l.role, email: l.email, unit: unitNames.get(l.unit) }))).toEqual(rows);
    for (const l of DEMO_LOGINS) {
      const user = await authenticate(t.db, l.email, PASSWORD, { ip: "192.0.2.10" });
      expect(user, l.email).not.toBeNull();
      const actor = await loadActor(t.db, user!.id, user!.sessionVersion);
      expect([actor!.role, actor!.unitCode]).toEqual([l.role, l.unit]);
      expect(await authenticate(t.db, l.email, "not-the-demo-password", { ip: "192.0.2.11" })).toBeNull();
    }
  });
});

// What a leader sees on the dashboard must look like a real province's figures, on any day: the
// demo is generated relative to `today`, so two days in different years must both pass (days
// gone by: last year's figures are published as of the database clock).
describe.each(["2025-12-01", "2026-03-15"])("the demo's figures as of %s", (today) => {
  const year = Number(today.slice(0, 4));
  let d: TTestDb;
  let leader: TActor;
  beforeAll(async () => {
    d = await createTestDb();
    await seedDemo(d.db, { password: PASSWORD, today });
    const [row] = await d.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, "leader@zs.example"));
    leader = await actorOf(d.db, row!.id);
  }, 300_000);
  afterAll(() => d?.close());

  const pct = (v: string | null) => (v === null ? null : Number(v));
  const periods = { "last year": { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` }, "this year to date": { from: `${year}-01-01`, to: today } };

  it.each(Object.keys(periods) as (keyof typeof periods)[])("%s: the province's YoY in a plausible band, no city's in the thousands", async (name) => {
    const h = await computeHeadline(d.db, leader, { unit: "210000", ...periods[name] });
    // roughly steady years with a mild growth: never the +1293 % of a pipeline that starts in the year before
    const yoy = { domestic: pct(h.domestic.funds_yoy_pct), foreign: pct(h.foreign.funds_yoy_pct), out_of_province: pct(h.out_of_province.funds_yoy_pct), domestic_projects: pct(h.domestic.projects_yoy_pct) };
    // foreign funds are a few dozen tranches a year, a dozen in a first quarter: a swing of half
    // either way is what real foreign figures do over a few months; the rest stays within a third
    const band = (k: string): [number, number] => (k === "foreign" && name === "this year to date" ? [-60, 80] : [-30, 40]);
    for (const [k, v] of Object.entries(yoy)) {
      expect(v, `${k} YoY`).not.toBeNull();
      expect(v!, `${k} YoY`).toBeGreaterThanOrEqual(band(k)[0]);
      expect(v!, `${k} YoY`).toBeLessThanOrEqual(band(k)[1]);
    }
    expect(h.domestic.projects, "domestic projects with funds").toBeGreaterThan(50);
    // a city may have had nothing one year; where it had funds both years the change stays believable
    expect(h.children).toHaveLength(14);
    const wild = h.children.flatMap((c) =>
      (["domestic", "foreign", "out_of_province"] as const)
        .filter((k) => dec(c[k].prev_funds).gt(0) && dec(c[k].funds).gt(0) && Math.abs(pct(c[k].funds_yoy_pct)!) > 500)
        .map((k) => `${c.name} ${k} ${c[k].funds_yoy_pct}%`),
    );
    expect(wild).toEqual([]);
    expect(h.children.filter((c) => dec(c.domestic.funds).gt(0)).length, "cities with domestic funds").toBeGreaterThanOrEqual(13);
  });

  it("targets: last year's about met, this year's on the pace of the year elapsed", async () => {
    const last = await computeHeadline(d.db, leader, { unit: "210000", ...periods["last year"] });
    const now = await computeHeadline(d.db, leader, { unit: "210000", ...periods["this year to date"] });
    for (const k of ["domestic", "foreign", "out_of_province"] as const) {
      expect(pct(last[k].target_progress_pct), `${k} last year`).toBeGreaterThanOrEqual(90);
      expect(pct(last[k].target_progress_pct), `${k} last year`).toBeLessThanOrEqual(110);
      // ahead_pct: progress minus the share of the year elapsed
      expect(Math.abs(pct(now[k].ahead_pct)!), `${k} this year, ahead of schedule`).toBeLessThanOrEqual(20);
    }
    expect(pct(last.signed.target_progress_pct), "signed projects last year").toBeGreaterThanOrEqual(90);
    expect(pct(last.signed.target_progress_pct), "signed projects last year").toBeLessThanOrEqual(110);
  });

  it("old projects are closed or followed up: tens of stale ones, quiet for weeks or months rather than years", async () => {
    const { staleDays } = await getSettings(d.db);
    const quiet = sql<number>`(${today}::date - ${quietSinceSql})`;
    const stale = (await d.db.select({ days: quiet }).from(s.projects).where(isStaleSql(staleDays, today))).map((x) => Number(x.days));
    const [c] = await d.db.select({ n: count() }).from(s.projects).where(and(eq(s.projects.status, "active"), ne(s.projects.stage, "funds")));
    const courted = c!.n;
    expect(stale.length).toBeGreaterThanOrEqual(10);
    expect(stale.length, `stale of ${courted} courted projects`).toBeLessThanOrEqual(courted * 0.4);
    expect(stale.filter((x) => x <= 200).length).toBeGreaterThanOrEqual(stale.length * 0.8);
    expect(Math.max(...stale)).toBeLessThan(730);
    // projects still being courted a year after the first contact are few, and followed up
    const old = await d.db
      .select({ lastActivityOn: s.projects.lastActivityOn, stageSince: s.projects.stageSince })
      .from(s.projects)
      .where(and(eq(s.projects.status, "active"), inArray(s.projects.stage, ["contact", "negotiation"]), lt(s.projects.createdAt, new Date(`${addDays(today, -365)}T00:00:00+08:00`))));
    expect(old.length).toBeLessThanOrEqual(courted * 0.15);
    expect(old.filter((p) => [p.lastActivityOn ?? p.stageSince, p.stageSince].sort()[1]! >= addDays(today, -90)).length).toBeGreaterThanOrEqual(old.length * 0.6);
  });

  it("every year shown has about as many new projects as the next, and the first contacts go back 3½ years", async () => {
    const rows = await d.db.select({ code: s.projects.code, createdAt: s.projects.createdAt }).from(s.projects);
    const inYear = (y: number) => rows.filter((p) => p.code.startsWith(`LN-${y}-`)).length;
    const perDay = (y: number) => inYear(y) / (y === year ? daysBetween(`${year}-01-01`, today) + 1 : 365);
    for (const y of [year - 2, year - 1]) {
      expect(inYear(y), `projects of ${y}`).toBeGreaterThan(120);
      expect(perDay(y + 1) / perDay(y), `${y + 1} against ${y}`).toBeGreaterThan(0.8);
      expect(perDay(y + 1) / perDay(y), `${y + 1} against ${y}`).toBeLessThan(1.3);
    }
    // every half year of the 3½ years before today has its new projects; before them come only
    // the older ones still being funded inside those years, a minority
    const contactedOn = rows.map((p) => todayCN(p.createdAt));
    for (let k = 0; k < 7; k++) {
      const [a, b] = [addDays(today, -(k + 1) * 182), addDays(today, -k * 182)];
      expect(contactedOn.filter((x) => x > a && x <= b).length, `new projects from ${a} to ${b}`).toBeGreaterThan(50);
    }
    const older = contactedOn.filter((x) => x <= addDays(today, -7 * 182)).length;
    expect(older, "projects contacted before the 3½ years").toBeGreaterThan(0);
    expect(older, "projects contacted before the 3½ years").toBeLessThan(rows.length * 0.25);
  });
});

describe("the demo's clock", () => {
  const build = (today: string, now: string) => buildDemo({ today, now: new Date(now), passwordHash: "x" });

  it("locks last year's quarters ten days after each, so not the fourth in the first days of January", () => {
    expect(demoLockedQuarters("2026-01-09")).toEqual([1, 2, 3]);
    expect(demoLockedQuarters("2026-01-10")).toEqual([1, 2, 3, 4]);
    expect(demoLockedQuarters("2026-12-01")).toEqual([1, 2, 3, 4]);
  });

  it("loaded just after midnight on 1 January: nothing after now, nothing recorded before its day", () => {
    const now = "2026-01-01T00:20:00+08:00";
    const d = build("2026-01-01", now);
    const dayStart = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
    const late = [
      ...d.events.filter((e) => e.recordedAt!.getTime() > Date.parse(now) || e.recordedAt!.getTime() < dayStart(e.businessDate)).map((e) => `event ${e.businessDate}`),
      ...d.tranches.filter((t) => t.reportedAt!.getTime() > Date.parse(now) || t.reportedAt!.getTime() < dayStart(t.arrivedOn)).map((t) => `tranche ${t.arrivedOn}`),
      ...d.projects.filter((p) => p.updatedAt! < p.createdAt! || p.updatedAt!.getTime() > Date.parse(now)).map((p) => `project ${p.code}`),
      ...d.activities.filter((a) => a.createdAt!.getTime() < dayStart(a.occurredOn) || a.createdAt!.getTime() > Date.parse(now)).map((a) => `activity ${a.occurredOn}`),
    ];
    expect(late).toEqual([]);
    // a project is numbered in the year of its first contact, the day it was created
    expect(d.projects.filter((p) => p.code.slice(3, 7) !== todayCN(p.createdAt!).slice(0, 4)).map((p) => p.code)).toEqual([]);
  });

  it("the same rows whatever the hour it is loaded at, but for moments still to come that day", () => {
    const shape = (d: ReturnType<typeof build>) => d.projects.map((p) => [p.code, p.name, p.plannedAmount, p.stage, p.status, p.signedOn].join("|"));
    const morning = build("2026-06-30", "2026-06-30T08:00:00+08:00");
    const evening = build("2026-06-30", "2026-06-30T20:00:00+08:00");
    expect(shape(morning)).toEqual(shape(evening));
    expect(morning.tranches.map((t) => t.amount)).toEqual(evening.tranches.map((t) => t.amount));
  });
});

describe("prepareDatabase on start", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zt-prepare-"));
  const env = { ...process.env };
  afterAll(async () => {
    process.env = env;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Run the start-up step as instrumentation.ts does, on a fresh module graph; returns what it printed. */
  async function start(vars: Record<string, string | undefined>) {
    process.env = { ...env, ...vars };
    for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
    vi.resetModules();
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
    const { prepareDatabase } = await import("@/server/startup/prepare-database");
    const { getDbHandle } = await import("@/db");
    try {
      await prepareDatabase();
      const handle = await getDbHandle();
      const [p] = await handle.db.select({ n: count() }).from(s.projects);
      const [u] = await handle.db.select({ n: count() }).from(s.users);
      const [seeds] = await handle.db.select({ n: count() }).from(s.auditLog).where(eq(s.auditLog.action, "demo.seed"));
      await handle.close();
      return { text: out.join(""), kind: handle.kind, projects: p!.n, users: u!.n, seeds: seeds!.n };
    } finally {
      write.mockRestore();
      (globalThis as { __dbHandle?: unknown }).__dbHandle = undefined;
    }
  }

  it("an empty embedded database is migrated and seeded once, and the sign-ins are printed", { timeout: 300_000 }, async () => {
    const pglite = { DATABASE_URL: undefined, PGLITE_DIR: path.join(dir, "data"), DEMO_PASSWORD: "Start-demo-2026", SEED_DEMO: undefined };
    const first = await start(pglite);
    expect(first.kind).toBe("pglite");
    expect(first.projects).toBeGreaterThanOrEqual(300);
    expect(first.seeds).toBe(1);
    expect(first.text).toContain("demo data loaded");
    for (const l of DEMO_LOGINS) expect(first.text).toContain(l.email);
    expect(first.text).toContain("password: Start-demo-2026");
    // the data is on disk: a second start finds it and loads nothing again
    const second = await start(pglite);
    expect([second.projects, second.users, second.seeds]).toEqual([first.projects, first.users, 1]);
    expect(second.text).not.toContain("demo data loaded");
    // SEED_DEMO=0 leaves an empty folder empty
    const off = await start({ ...pglite, PGLITE_DIR: path.join(dir, "off"), SEED_DEMO: "0" });
    expect([off.projects, off.users]).toEqual([0, 0]);
    expect(off.text).toContain("no users yet");
  });

  it("PostgreSQL is migrated but not seeded unless asked", { timeout: 120_000 }, async () => {
    const { createScratchPostgres } = await import("../security/support/scratch-postgres");
    const pg = await createScratchPostgres("seed_start", { max: 1 });
    try {
      await pg.close();
      const r = await start({ DATABASE_URL: pg.url, SEED_DEMO: undefined, DEMO_PASSWORD: undefined });
      expect(r.kind).toBe("postgres");
      expect([r.projects, r.users]).toEqual([0, 0]);
      expect(r.text).toContain("no users yet");
      const tables = await (async () => {
        const { default: postgres } = await import("postgres");
        const c = postgres(pg.url, { max: 1, onnotice: () => {} });
        const rows = await c`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'projects'`;
        await c.end();
        return rows[0]!.n as number;
      })();
      expect(tables).toBe(1);
    } finally {
      await pg.drop();
    }
  });
});
