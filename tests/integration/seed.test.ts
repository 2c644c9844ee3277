// The demo data a fresh installation starts with (README "Start it"): the unit tree of Liaoning,
// a pipeline in every stage and status with its history, funds, follow-ups and targets, and the
// README's demo sign-ins. Then the start-up step that loads it into an empty embedded database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as s from "@/db/schema";
import { DEMO_LOGINS, seedDemo } from "@/db/seed/demo";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { todayCN } from "@/lib/dates";
import { STAGES, STATUSES } from "@/lib/domain";
import { authenticate, loadActor } from "@/server/auth/authenticate";

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
    // over two years
    const starts = projects.map((p) => p.createdAt.getTime());
    expect((Math.max(...starts) - Math.min(...starts)) / 86_400_000).toBeGreaterThan(365);

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
      ["01-01", "04-01", "07-01", "10-01"].map((d) => `${year - 1}-${d}`),
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
