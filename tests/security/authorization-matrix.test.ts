// Authorization matrix over EVERY tRPC procedure and every file route: each role (and signed-out,
// and a user disabled mid-session) × each relation of the caller to the object the procedure acts
// on. What each role may do is written down below from the product spec's role table
// (SPEC_ROLES) — deliberately NOT read from the permission table the code uses
// (lib/permissions.ts), so a wrong grant there fails here. Scope is the unit subtree, and anything
// out of scope (or soft-deleted) must answer exactly like a missing object: same code, same
// message, same values. Procedures are enumerated from the router and routes from app/api: one
// without a case (or without a spec expectation) fails the test.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { investors, projects, units, users } from "@/db/schema";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { actorOf, insertUnit, insertUser, makeProject, projectInput, TEST_PASSWORD } from "@/db/testing/factories";
import type { TRole } from "@/lib/domain";
import { appRouter } from "@/server/api/root";
import type { TActor } from "@/server/auth/actor";
import { actorForSession } from "@/server/auth/authenticate";
import { PERMISSIONS, type TAction } from "@/server/auth/permissions";
import { publishFigures } from "@/server/figures/publish";
import { addEvidence } from "@/server/funds/evidence";
import { reportTranche, verifyTranche } from "@/server/funds/tranches";
import { IMPORT_KINDS } from "@/server/imports/columns";
import { addContact } from "@/server/investors/investors";
import { lockPeriod } from "@/server/locks/lock-period";
import { addActivity } from "@/server/activities/activities";
import { saveView } from "@/server/views/saved-views";
import { APP_ERROR_CODES, AppError } from "@/server/lib/errors";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import { callerFor } from "../integration/helpers";
import { seedSecurityWorld, type TSecurityWorld } from "./world";

// The file routes run for real; only Next's request scope, the session lookup and the app's
// database handle are replaced: the session is a decoded token of the caller, resolved by the real
// actorForSession against the database, so a disabled user's token is refused as in production.
const routeCtx = vi.hoisted(() => ({ db: null as unknown, session: null as unknown }));
vi.mock("next/server", async (original) => ({ ...(await original<typeof import("next/server")>()), connection: async () => {} }));
vi.mock("@/db", () => ({
  getDb: async () => routeCtx.db,
  getDbHandle: async () => ({ db: routeCtx.db, kind: "pglite", close: async () => {} }),
}));
vi.mock("@/server/auth/session", async () => {
  const { actorForSession: resolve } = await import("@/server/auth/authenticate");
  return {
    getActor: async () => (routeCtx.session ? resolve(routeCtx.db as Db, routeCtx.session) : null),
    getRequestLocale: async () => "zh-CN",
    LOCALE_COOKIE: "NEXT_LOCALE",
  };
});

let t: TTestDb;
let w: TSecurityWorld;
beforeAll(async () => {
  t = await createTestDb();
  w = await seedSecurityWorld(t.db);
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// Callers and places

type TUnitRow = typeof units.$inferSelect;
type TPlaceKey = "province" | "dalian" | "zone" | "shenyang" | "jilin" | "changchun";
/** A unit where objects live, a staff user of it (creates/reports there) and a verifier (not the reporter). */
type TPlace = { key: TPlaceKey; unit: TUnitRow; staff: TActor; verifier: TActor };

function place(key: TPlaceKey): TPlace {
  const a = w.actors;
  const u = w.units;
  return {
    province: { key, unit: u.province, staff: a.provinceStaff, verifier: a.provinceLeader },
    dalian: { key, unit: u.dalian, staff: a.dalianStaff, verifier: a.dalianLeader },
    zone: { key, unit: u.dlZone, staff: a.zoneStaff, verifier: a.dalianLeader },
    shenyang: { key, unit: u.shenyang, staff: a.shenyangStaff, verifier: a.provinceLeader },
    jilin: { key, unit: u.jilin, staff: a.jilinStaff, verifier: a.jilinLeader },
    changchun: { key, unit: u.changchun, staff: a.changchunStaff, verifier: a.jilinLeader },
  }[key] as TPlace;
}

/** Callers of every role; `own`/`sameCity`/`otherCity`/`otherTree` name the places those relations mean for them. */
type TCaller = { label: string; actor: () => TActor; own: TPlaceKey; sameCity: TPlaceKey; otherCity: TPlaceKey | null; otherTree?: TPlaceKey };
const CALLERS: TCaller[] = [
  { label: "staff@大连市", actor: () => w.actors.dalianStaff, own: "dalian", sameCity: "zone", otherCity: "shenyang" },
  // a zone's staff: the city above it is out of scope (no upward leak)
  { label: "staff@金普新区", actor: () => w.actors.zoneStaff, own: "zone", sameCity: "dalian", otherCity: "shenyang" },
  { label: "leader@大连市", actor: () => w.actors.dalianLeader, own: "dalian", sameCity: "zone", otherCity: "shenyang" },
  { label: "leader@辽宁省", actor: () => w.actors.provinceLeader, own: "province", sameCity: "dalian", otherCity: "shenyang" },
  { label: "admin@辽宁省", actor: () => w.actors.admin, own: "province", sameCity: "dalian", otherCity: "shenyang" },
  // an admin is an admin of its own tree only: the other province's admin sees nothing of 辽宁
  { label: "admin@吉林省", actor: () => w.actors.jilinAdmin, own: "jilin", sameCity: "changchun", otherCity: null, otherTree: "province" },
];

const RELATIONS = ["own", "same-city", "other-city", "other-unit-tree", "deleted", "missing"] as const;
type TRel = (typeof RELATIONS)[number] | "none";

type TEnv = {
  label: string;
  caller: TActor;
  rel: TRel;
  /** null: the object does not exist (missing) or the procedure takes none */
  place: TPlace | null;
  /** who creates the object: the caller for its own unit when its role writes, else the place's staff */
  creator: TActor | null;
  deleted: boolean;
};

function envFor(c: TCaller, rel: TRel): TEnv {
  const caller = c.actor();
  const key = { own: c.own, deleted: c.own, "same-city": c.sameCity, "other-city": c.otherCity, "other-unit-tree": c.otherTree ?? "jilin", missing: null, none: null }[rel] as TPlaceKey | null;
  const p = key ? place(key) : null;
  const ownish = rel === "own" || rel === "deleted";
  const creator = p ? (ownish && caller.role !== "leader" ? caller : p.staff) : null;
  return { label: c.label, caller, rel, place: p, creator, deleted: rel === "deleted" };
}

// ---------------------------------------------------------------------------------------------
// What the spec lets each role do (../shared/SPEC.md "Who uses it", and the issues where they say
// more). Independent of lib/permissions.ts on purpose: a procedure needs an entry here too.

const ALL: readonly TRole[] = ["staff", "leader", "admin"];
/** staff read/write projects of their subtree and report tranches; an admin may do everything */
const WRITE: readonly TRole[] = ["staff", "admin"];
/** leader: verify or reject tranches, lock periods, set targets (issue 3: "an admin or leader"), publish, review flags */
const REVIEW: readonly TRole[] = ["leader", "admin"];
/** admin only: users, units, reopening a lock, the audit log, deleting a project */
const ADMIN: readonly TRole[] = ["admin"];
/** follow-ups are "what staff and leaders do every day" (issue 5); leaders lead delegations (带队招商) and record them */
const FOLLOW_UP: readonly TRole[] = ["staff", "leader", "admin"];
type TSpec = readonly TRole[] | "public";

const SPEC_ROLES: Record<string, TSpec> = {
  "me.get": ALL,
  "me.settings": ALL, "me.setLocale": ALL, "me.changePassword": ALL,
  // the unit tree and the people of the scope are read by everyone (unit and owner pickers, filters); an admin manages them
  "units.list": ALL, "units.create": ADMIN, "units.update": ADMIN,
  "users.list": ALL, "users.create": ADMIN, "users.update": ADMIN, "users.resetPassword": ADMIN,
  "views.list": ALL, "views.save": ALL, "views.delete": ALL,
  // leaders read everything in their subtree but write no projects or investors
  "investors.search": ALL, "investors.duplicates": ALL, "investors.get": ALL,
  "investors.update": WRITE, "investors.addContact": WRITE, "investors.updateContact": WRITE, "investors.removeContact": WRITE,
  "projects.list": ALL, "projects.get": ALL, "projects.create": WRITE, "projects.update": WRITE, "projects.moveStage": WRITE,
  // removing a project removes it from the figures (瞒报): an administrator's act
  "projects.delete": ADMIN,
  "funds.byProject": ALL, "funds.queue": ALL,
  "funds.report": WRITE, "funds.update": WRITE, "funds.withdraw": WRITE,
  "funds.verify": REVIEW,
  "targets.list": ALL, "targets.set": REVIEW,
  "figures.headline": ALL, "figures.pipeline": ALL, "figures.monthly": ALL, "figures.published": ALL, "figures.compare": ALL,
  "figures.publish": REVIEW,
  "flags.list": ALL, "flags.forProject": ALL, "flags.review": REVIEW,
  "locks.list": ALL, "locks.lock": REVIEW, "locks.reopen": ADMIN,
  "activities.byProject": ALL, "activities.followUps": ALL,
  "activities.add": FOLLOW_UP, "activities.update": FOLLOW_UP, "activities.delete": FOLLOW_UP, "activities.completeNextStep": FOLLOW_UP,
  "board.load": ALL, "board.columns": ALL, "board.cards": ALL, "board.search": ALL,
  "audit.list": ADMIN, "audit.verify": ADMIN,
  // each project page shows its own history to whoever may read the project
  "audit.projectHistory": ALL,
  // installation-wide thresholds (major project, stale days, …): the administrator runs the installation
  "settings.list": ADMIN, "settings.set": ADMIN,
  // file routes: every role exports its scope; staff (and admins) import projects; leaders import
  // tranches too (issue 4: imported verified tranches are "verified by the importing admin/leader")
  "GET /api/export/projects kind=list": ALL,
  "GET /api/export/projects kind=stage-report": ALL,
  "GET /api/export/review-pack": ALL,
  "GET /api/evidence/[fileId]": ALL,
  "POST /api/tranches/[trancheId]/evidence": WRITE,
  "POST /api/import kind=units": ADMIN,
  "POST /api/import kind=projects": WRITE,
  "POST /api/import kind=tranches": ALL,
  "POST /api/import kind=targets": REVIEW,
};
const specAllows = (name: string, role: TRole) => {
  const spec = SPEC_ROLES[name];
  return spec === "public" || (!!spec && spec.includes(role));
};

/** In scope: the object exists, is not deleted and lies in the caller's unit subtree. */
const inScope = (env: TEnv) => !!env.place && !env.deleted && env.place.unit.path.startsWith(env.caller.unitPath);

// ---------------------------------------------------------------------------------------------
// Object factories (fresh per case; reads may reuse an object since they change nothing)

let seq = 0;
const uniq = () => `${++seq}${randomUUID().slice(0, 6)}`;
const cache = new Map<string, Promise<unknown>>();
function cached<T>(reuse: boolean, key: string, make: () => Promise<T>): Promise<T> {
  if (!reuse) return make();
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as Promise<T>;
}
const envKey = (env: TEnv) => `${env.place?.key}:${env.creator?.id}:${env.deleted}`;

type TProjectRow = typeof projects.$inferSelect;
const fakeProject = () => ({ id: randomUUID(), version: 1, investorId: randomUUID(), unitId: randomUUID(), name: `不存在的项目${uniq()}`, code: `LN-2001-${String(seq % 10_000).padStart(4, "0")}` }) as TProjectRow;
const reread = async (id: string) => (await t.db.select().from(projects).where(eq(projects.id, id)))[0]!;

/** Soft-delete through the API: projects.delete as the admin of the project's tree. */
async function softDelete(id: string) {
  const row = await reread(id);
  const [unit] = await t.db.select({ path: units.path }).from(units).where(eq(units.id, row.unitId));
  const admin = [w.actors.admin, w.actors.jilinAdmin].find((a) => unit!.path.startsWith(a.unitPath))!;
  await callerFor(t.db, admin).projects.delete({ id, version: row.version });
  return reread(id);
}

function project(env: TEnv, reuse = false): Promise<TProjectRow> {
  if (!env.place) return Promise.resolve(fakeProject());
  return cached(reuse, `project:${envKey(env)}`, async () => {
    const p = await makeProject(t.db, env.creator!, { unitId: env.place!.unit.id, name: `矩阵项目${uniq()}` });
    return env.deleted ? softDelete(p.id) : p;
  });
}

async function signedProject(env: TEnv): Promise<TProjectRow> {
  if (!env.place) return fakeProject();
  const p = await makeProject(t.db, env.creator!, { unitId: env.place.unit.id, startedOn: "2026-03-02" });
  const s = await moveProjectStage(t.db, env.creator!, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-10", signedAmount: "200000000" });
  return env.deleted ? softDelete(s.id) : s;
}

type TTrancheRow = Awaited<ReturnType<typeof reportTranche>>;
/** A pending tranche reported by `reporter` (default: the place's staff, never the caller-verifier). */
async function tranche(env: TEnv, reporter?: TActor): Promise<TTrancheRow> {
  if (!env.place) return { id: randomUUID(), version: 1 } as TTrancheRow;
  const p = await makeProject(t.db, env.creator!, { unitId: env.place.unit.id, startedOn: "2026-03-02" });
  const s = await moveProjectStage(t.db, env.creator!, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-10", signedAmount: "200000000" });
  const tr = await reportTranche(t.db, reporter ?? env.place.staff, { projectId: s.id, amount: "1000000", arrivedOn: "2026-04-01", evidenceNo: `JZ${uniq()}` });
  if (env.deleted) await softDelete(s.id);
  return tr;
}

/** The reporter the caller may edit as: itself when its role reports and the project is in scope. */
const reporterFor = (env: TEnv) => (env.place && specAllows("funds.report", env.caller.role) && inScope(env) ? env.caller : env.place?.staff);

type TInvestorRow = typeof investors.$inferSelect;
function investor(env: TEnv, reuse = false): Promise<TInvestorRow> {
  if (!env.place) return Promise.resolve({ id: randomUUID(), version: 1, name: `不存在的投资方${uniq()}`, originRegion: "320000" } as TInvestorRow);
  return cached(reuse, `investor:${envKey(env)}`, async () => {
    const p = await makeProject(t.db, env.creator!, { unitId: env.place!.unit.id, investor: { newInvestor: { name: `矩阵投资${uniq()}有限公司`, originRegion: "320000" } } });
    return (await t.db.select().from(investors).where(eq(investors.id, p.investorId)))[0]!;
  });
}

async function contact(env: TEnv) {
  if (!env.place) return { id: randomUUID(), version: 1 };
  const inv = await investor(env);
  return addContact(t.db, env.creator!, { investorId: inv.id, name: `联系人${uniq()}`, phone: "0411-88880000" });
}

async function childUnit(env: TEnv): Promise<TUnitRow> {
  if (!env.place) return { id: randomUUID(), version: 1, code: `NO-${seq}`, name: `不存在${uniq()}`, parentId: randomUUID() } as TUnitRow;
  const n = uniq();
  return insertUnit(t.db, `SEC-${n}`, `安全测试区${n}`, "zone", env.place.unit);
}

function freshUser(env: TEnv, reuse = false) {
  if (!env.place) return Promise.resolve({ id: randomUUID(), version: 1, email: `nobody${uniq()}@test.example`, unitId: randomUUID() });
  return cached(reuse, `user:${envKey(env)}`, () => insertUser(t.db, `sec${uniq()}@test.example`, `测试用户${seq}`, "staff", env.place!.unit.id));
}

const unitCode = (env: TEnv) => env.place?.unit.code ?? `NOPE-${seq}`;
const unitId = (env: TEnv) => env.place?.unit.id ?? randomUUID();

function published(env: TEnv, reuse = false) {
  if (!env.place) return Promise.resolve({ id: randomUUID() });
  return cached(reuse, `published:${envKey(env)}`, () => publishFigures(t.db, env.creator!, { unit: env.place!.unit.code, from: "2026-01-01", to: "2026-03-31" }));
}

let targetYear = 2030;

/** A project with an integrity flag (contact → signed skips negotiation) and that flag's key. */
function flagged(env: TEnv, reuse = false): Promise<{ projectId: string; key: string }> {
  if (!env.place) return Promise.resolve({ projectId: randomUUID(), key: `skipped_stage:${randomUUID()}` });
  return cached(reuse, `flagged:${envKey(env)}`, async () => {
    const p = await makeProject(t.db, env.creator!, { unitId: env.place!.unit.id, startedOn: "2026-03-02" });
    await moveProjectStage(t.db, env.creator!, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-10", signedAmount: "200000000" });
    const flags = (await callerFor(t.db, env.place!.staff).flags.forProject({ projectId: p.id })) as Array<{ rule: string; key: string }>;
    const key = flags.find((f) => f.rule === "skipped_stage")?.key;
    if (!key) throw new Error("setup: no skipped_stage flag");
    if (env.deleted) await softDelete(p.id);
    return { projectId: p.id, key };
  });
}
const hasFlagOn = (projectId: string) => (r: unknown) => rowsOf(r).some((f) => (f as unknown as { projectIds: string[] }).projectIds.includes(projectId));

/** An activity with a next step on a project of the place, written by `author` (its edits are the author's). */
async function activity(env: TEnv, author?: TActor) {
  if (!env.place) return { id: randomUUID(), version: 1 };
  const p = await makeProject(t.db, env.creator!, { unitId: env.place.unit.id, startedOn: "2026-03-02" });
  const a = await addActivity(t.db, author ?? env.place.staff, { projectId: p.id, kind: "visit", occurredOn: "2026-03-05", summary: "走访企业了解项目进展", nextStep: "报送用地需求", nextDueOn: "2026-03-20" });
  if (env.deleted) await softDelete(p.id);
  return a;
}
/** The author the caller may edit as: itself when its role writes activities and the project is in scope. */
const authorFor = (env: TEnv) => (env.place && specAllows("activities.add", env.caller.role) && inScope(env) ? env.caller : env.place?.staff);

/** A past month never locked before (locks bind every write dated in them: far from the 2026 data). */
let lockSeq = 0;
const freshPeriod = () => {
  const k = lockSeq++;
  return { kind: "month" as const, year: 2001 + Math.floor(k / 12), n: (k % 12) + 1 };
};
/** A lock of the place's unit, set by the admin of its tree. */
function periodLock(env: TEnv, reuse = false): Promise<{ id: string; version: number }> {
  if (!env.place) return Promise.resolve({ id: randomUUID(), version: 1 });
  return cached(reuse, `lock:${envKey(env)}`, () => {
    const admin = [w.actors.admin, w.actors.jilinAdmin].find((a) => env.place!.unit.path.startsWith(a.unitPath))!;
    return lockPeriod(t.db, admin, { unit: env.place!.unit.code, ...freshPeriod() });
  });
}

// ---------------------------------------------------------------------------------------------
// The case table: one entry per procedure

type TBuilt = {
  input: unknown;
  /** for reads: whether the answer shows the object (a list containing it, a detail of it) */
  visible?: (result: unknown) => boolean;
  /** a different caller of the same role and unit (e.g. a fresh user whose password may change) */
  actor?: TActor;
  /** what the answer says, when more than "visible or not" must match the missing case (imports) */
  answer?: (result: unknown) => string;
};
type TCase = {
  kind: "query" | "mutation";
  /** the permission-table action the procedure must name; null = public */
  action: TAction | null;
  /** "object": takes an object (id/unit) and runs every relation; "none": no object */
  object: "none" | "object" | "project";
  /** how a missing object answers when the role is allowed: an error code, "hidden" (a list without it) or "rejected" (an import's row errors) */
  missing?: "NOT_FOUND" | "BAD_REQUEST" | "hidden" | "rejected";
  build: (env: TEnv) => Promise<TBuilt>;
  /** extra scope check on a successful answer: returns what leaked, if anything */
  leak?: (result: unknown, env: TEnv) => Promise<string | null>;
};

const rowsOf = (r: unknown): Array<{ id: string }> => ((r as { rows?: unknown[] }).rows ?? (r as unknown[])) as Array<{ id: string }>;
const contains = (id: string) => (r: unknown) => rowsOf(r).some((x) => x.id === id);
const isObj = (id: string) => (r: unknown) => (r as { id?: string } | null)?.id === id;
async function subtreeCodes(actor: TActor) {
  return new Set((await t.db.select({ code: units.code, path: units.path }).from(units)).filter((u) => u.path.startsWith(actor.unitPath)).map((u) => u.code));
}
const leakByUnitCode = async (r: unknown, env: TEnv) => {
  const codes = await subtreeCodes(env.caller);
  const bad = rowsOf(r).filter((x) => !codes.has((x as unknown as { unitCode: string }).unitCode));
  return bad.length ? `rows outside scope: ${bad.map((x) => (x as unknown as { unitCode: string }).unitCode).join(",")}` : null;
};

/**
 * Cases for procedures added while the table below was being edited elsewhere: spread first, so
 * an entry of the same name written into the table later wins (no duplicate key).
 */
const LATE_CASES: Record<string, TCase> = {
  // installation-wide thresholds; set to the value it has by default, so nothing else changes
  "settings.list": { kind: "query", action: "settings.manage", object: "none", build: async () => ({ input: undefined, visible: (r) => Array.isArray(r) && r.length > 0 }) },
  "settings.set": { kind: "mutation", action: "settings.manage", object: "none", build: async () => ({ input: { key: "threeNotDays", value: 180 } }) },
};

const CASES: Record<string, TCase> = {
  ...LATE_CASES,
  // --- me
  "me.get": { kind: "query", action: "self.read", object: "none", build: async (env) => ({ input: undefined, visible: isObj(env.caller.id) }) },
  "me.settings": { kind: "query", action: "self.update", object: "none", build: async () => ({ input: undefined }) },
  "me.setLocale": { kind: "mutation", action: "self.update", object: "none", build: async () => ({ input: { locale: "zh-CN" } }) },
  "me.changePassword": {
    kind: "mutation",
    action: "self.update",
    object: "none",
    build: async (env) => {
      // a fresh user of the same role and unit: the password really changes
      const u = await insertUser(t.db, `pw${uniq()}@test.example`, "改密用户", env.caller.role, env.caller.unitId);
      return { input: { current: TEST_PASSWORD, next: "Another-pass-2026" }, actor: await actorOf(t.db, u.id) };
    },
  },
  // --- units
  "units.list": {
    kind: "query",
    action: "unit.read",
    object: "none",
    build: async (env) => ({ input: undefined, visible: (r) => (r as Array<{ id: string }>).some((u) => u.id === env.caller.unitId) }),
    leak: async (r, env) => {
      const bad = (r as Array<{ path: string; code: string }>).filter((u) => !u.path.startsWith(env.caller.unitPath));
      return bad.length ? `units outside scope: ${bad.map((u) => u.code).join(",")}` : null;
    },
  },
  "units.create": {
    kind: "mutation",
    action: "unit.manage",
    object: "object",
    build: async (env) => {
      const n = uniq();
      return { input: { code: `NEW-${n}`, name: `新建园区${n}`, kind: "zone", parentId: unitId(env) } };
    },
  },
  "units.update": {
    kind: "mutation",
    action: "unit.manage",
    object: "object",
    build: async (env) => {
      const u = await childUnit(env);
      return { input: { id: u.id, version: u.version, code: u.code, name: u.name, kind: "district", parentId: u.parentId } };
    },
  },
  // --- users
  "users.list": {
    kind: "query",
    action: "user.read",
    object: "object",
    missing: "hidden",
    build: async (env) => {
      const u = await freshUser(env, true);
      return { input: { q: u.email }, visible: contains(u.id) };
    },
    leak: leakByUnitCode,
  },
  "users.create": {
    kind: "mutation",
    action: "user.manage",
    object: "object",
    build: async (env) => ({ input: { email: `created${uniq()}@test.example`, name: "新用户", role: "staff", unitId: unitId(env), password: "Created-pass-2026" } }),
  },
  "users.update": {
    kind: "mutation",
    action: "user.manage",
    object: "object",
    build: async (env) => {
      const u = await freshUser(env);
      return { input: { id: u.id, version: u.version, name: "改名用户", role: "staff", unitId: u.unitId, disabled: false } };
    },
  },
  "users.resetPassword": {
    kind: "mutation",
    action: "user.manage",
    object: "object",
    build: async (env) => {
      const u = await freshUser(env);
      return { input: { id: u.id, version: u.version, password: "Reset-pass-2026" } };
    },
  },
  // --- investors
  "investors.search": {
    kind: "query",
    action: "investor.read",
    object: "object",
    missing: "hidden",
    build: async (env) => {
      const inv = await investor(env, true);
      return { input: { q: inv.name, limit: 50 }, visible: contains(inv.id) };
    },
  },
  "investors.duplicates": {
    kind: "query",
    action: "investor.read",
    object: "object",
    missing: "hidden",
    build: async (env) => {
      const inv = await investor(env, true);
      return { input: { name: inv.name }, visible: contains(inv.id) };
    },
  },
  "investors.get": {
    kind: "query",
    action: "investor.read",
    object: "object",
    build: async (env) => {
      const inv = await investor(env, true);
      return { input: { id: inv.id }, visible: isObj(inv.id) };
    },
  },
  "investors.update": {
    kind: "mutation",
    action: "investor.write",
    object: "object",
    build: async (env) => {
      const inv = await investor(env);
      return { input: { id: inv.id, version: inv.version, name: inv.name, creditCode: null, originRegion: inv.originRegion, originCountry: null } };
    },
  },
  "investors.addContact": {
    kind: "mutation",
    action: "investor.write",
    object: "object",
    build: async (env) => ({ input: { investorId: (await investor(env)).id, name: "王经理", title: "总经理", phone: "0411-12345678" } }),
  },
  "investors.updateContact": {
    kind: "mutation",
    action: "investor.write",
    object: "object",
    build: async (env) => {
      const c = await contact(env);
      return { input: { id: c.id, version: c.version, name: "李经理", title: "副总", phone: "024-87654321" } };
    },
  },
  "investors.removeContact": {
    kind: "mutation",
    action: "investor.write",
    object: "object",
    build: async (env) => {
      const c = await contact(env);
      return { input: { id: c.id, version: c.version } };
    },
  },
  // --- projects
  "projects.list": {
    kind: "query",
    action: "project.read",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { q: p.name, pageSize: 200 }, visible: contains(p.id) };
    },
    leak: leakByUnitCode,
  },
  "projects.get": {
    kind: "query",
    action: "project.read",
    object: "project",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { id: p.id }, visible: isObj(p.id) };
    },
  },
  "projects.create": {
    kind: "mutation",
    action: "project.write",
    object: "object",
    // a unit outside scope is refused like an unknown unit: a field error on unitId
    missing: "BAD_REQUEST",
    build: async (env) => ({ input: projectInput(unitId(env), { name: `新建项目${uniq()}` }) }),
  },
  "projects.update": {
    kind: "mutation",
    action: "project.write",
    object: "project",
    build: async (env) => {
      const p = await project(env);
      return { input: { ...projectInput(p.unitId), id: p.id, version: p.version, investorId: p.investorId, name: `改名项目${uniq()}` } };
    },
  },
  "projects.moveStage": {
    kind: "mutation",
    action: "project.write",
    object: "project",
    build: async (env) => {
      const p = await project(env);
      return { input: { id: p.id, version: p.version, toStage: "negotiation", toStatus: "active", businessDate: "2026-03-05", note: "矩阵" } };
    },
  },
  "projects.delete": {
    kind: "mutation",
    action: "project.delete",
    object: "project",
    build: async (env) => {
      const p = await project(env);
      return { input: { id: p.id, version: p.version } };
    },
  },
  // --- funds
  "funds.byProject": {
    kind: "query",
    action: "tranche.read",
    object: "project",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { projectId: p.id }, visible: Array.isArray };
    },
  },
  "funds.queue": {
    kind: "query",
    action: "tranche.read",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const tr = await cached(true, `rejected:${envKey(env)}`, async () => {
        const x = await tranche(env);
        if (!env.place || env.deleted) return x;
        // rejected ones are listed newest first: this one is on the first page whatever else exists
        return verifyTranche(t.db, env.place.verifier, { id: x.id, version: x.version, decision: "reject", reason: "矩阵测试退回" });
      });
      return { input: { status: "rejected", pageSize: 200 }, visible: contains(tr.id) };
    },
  },
  "funds.report": {
    kind: "mutation",
    action: "tranche.report",
    object: "project",
    build: async (env) => {
      const p = await signedProject(env);
      return { input: { projectId: p.id, amount: "3000000", arrivedOn: "2026-04-02", evidenceNo: `YH${uniq()}` } };
    },
  },
  "funds.update": {
    kind: "mutation",
    action: "tranche.report",
    object: "project",
    build: async (env) => {
      const tr = await tranche(env, reporterFor(env));
      return { input: { id: tr.id, version: tr.version, amount: "1500000", arrivedOn: "2026-04-03" } };
    },
  },
  "funds.withdraw": {
    kind: "mutation",
    action: "tranche.report",
    object: "project",
    build: async (env) => {
      const tr = await tranche(env, reporterFor(env));
      return { input: { id: tr.id, version: tr.version } };
    },
  },
  "funds.verify": {
    kind: "mutation",
    action: "tranche.verify",
    object: "project",
    build: async (env) => {
      const tr = await tranche(env); // reported by the place's staff: never the verifying leader/admin
      return { input: { id: tr.id, version: tr.version, decision: "verify" } };
    },
  },
  // --- targets
  "targets.list": {
    kind: "query",
    action: "target.read",
    object: "object",
    build: async (env) => ({ input: { unit: unitCode(env), year: 2026 }, visible: (r) => (r as Array<{ id: string }>)[0]?.id === env.place?.unit.id }),
  },
  "targets.set": {
    kind: "mutation",
    action: "target.write",
    object: "object",
    build: async (env) => ({ input: { year: targetYear++, entries: [{ unitId: unitId(env), metric: "domestic_funds", value: "1000000000", version: null }] } }),
  },
  // --- figures
  "figures.headline": {
    kind: "query",
    action: "figures.read",
    object: "object",
    build: async (env) => ({ input: { unit: unitCode(env), from: "2026-01-01", to: "2026-06-30" }, visible: (r) => (r as { unit: string }).unit === env.place?.unit.code }),
  },
  "figures.pipeline": { kind: "query", action: "figures.read", object: "object", build: async (env) => ({ input: { unit: unitCode(env) } }) },
  "figures.monthly": { kind: "query", action: "figures.read", object: "object", build: async (env) => ({ input: { unit: unitCode(env), year: 2026 } }) },
  "figures.publish": {
    kind: "mutation",
    action: "figures.publish",
    object: "object",
    build: async (env) => ({ input: { unit: unitCode(env), from: "2026-01-01", to: "2026-03-31" } }),
  },
  "figures.published": {
    kind: "query",
    action: "figures.read",
    object: "object",
    missing: "hidden",
    build: async (env) => {
      const pub = await published(env, true);
      return { input: { unit: unitCode(env) }, visible: contains(pub.id) };
    },
  },
  "figures.compare": {
    kind: "query",
    action: "figures.read",
    object: "object",
    build: async (env) => {
      const pub = await published(env, true);
      return { input: { id: pub.id }, visible: isObj(pub.id) };
    },
  },
  // --- integrity flags
  "flags.list": {
    kind: "query",
    action: "flag.read",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const f = await flagged(env, true);
      return { input: { projectId: f.projectId }, visible: hasFlagOn(f.projectId) };
    },
  },
  "flags.forProject": {
    kind: "query",
    action: "flag.read",
    object: "project",
    build: async (env) => {
      const f = await flagged(env, true);
      return { input: { projectId: f.projectId }, visible: hasFlagOn(f.projectId) };
    },
  },
  "flags.review": {
    kind: "mutation",
    action: "flag.review",
    object: "project",
    build: async (env) => ({ input: { key: (await flagged(env)).key, note: "已核实，属实际情况" } }),
  },
  // --- period locks
  "locks.list": {
    kind: "query",
    action: "period.read",
    object: "object",
    // a unit filter outside the scope lists nothing, like a missing unit
    missing: "hidden",
    build: async (env) => {
      const l = await periodLock(env, true);
      return { input: { unit: unitCode(env) }, visible: contains(l.id) };
    },
    // beside the scope, only the locks of the units above the caller (they bind it)
    leak: async (r, env) => {
      const all = await t.db.select({ code: units.code, path: units.path }).from(units);
      const seen = new Set(all.filter((u) => u.path.startsWith(env.caller.unitPath) || env.caller.unitPath.startsWith(u.path)).map((u) => u.code));
      const bad = (r as Array<{ unitCode: string }>).filter((l) => !seen.has(l.unitCode));
      return bad.length ? `locks outside scope and not above it: ${bad.map((l) => l.unitCode).join(",")}` : null;
    },
  },
  "locks.lock": {
    kind: "mutation",
    action: "period.lock",
    object: "object",
    build: async (env) => ({ input: { unit: unitCode(env), ...freshPeriod() } }),
  },
  "locks.reopen": {
    kind: "mutation",
    action: "period.reopen",
    object: "object",
    build: async (env) => {
      const l = await periodLock(env);
      return { input: { id: l.id, version: l.version, reason: "矩阵测试解锁" } };
    },
  },
  // --- activities (follow-ups)
  "activities.byProject": {
    kind: "query",
    action: "activity.read",
    object: "project",
    build: async (env) => ({ input: { projectId: (await project(env, true)).id }, visible: Array.isArray }),
  },
  "activities.add": {
    kind: "mutation",
    action: "activity.write",
    object: "project",
    build: async (env) => ({ input: { projectId: (await project(env)).id, kind: "call", occurredOn: "2026-04-01", summary: "电话沟通项目进展" } }),
  },
  "activities.update": {
    kind: "mutation",
    action: "activity.write",
    object: "project",
    build: async (env) => {
      const a = await activity(env, authorFor(env));
      return { input: { id: a.id, version: a.version, kind: "meeting", occurredOn: "2026-03-06", summary: "会谈：用地与能耗指标" } };
    },
  },
  "activities.delete": {
    kind: "mutation",
    action: "activity.write",
    object: "project",
    build: async (env) => {
      const a = await activity(env, authorFor(env));
      return { input: { id: a.id, version: a.version } };
    },
  },
  "activities.completeNextStep": {
    kind: "mutation",
    action: "activity.write",
    object: "project",
    build: async (env) => {
      const a = await activity(env, authorFor(env));
      return { input: { id: a.id, version: a.version } };
    },
  },
  "activities.followUps": { kind: "query", action: "activity.read", object: "none", build: async () => ({ input: {} }) },
  // --- saved views (always the caller's own)
  "views.list": { kind: "query", action: "self.update", object: "none", build: async () => ({ input: undefined }) },
  "views.save": { kind: "mutation", action: "self.update", object: "none", build: async () => ({ input: { name: `视图${uniq()}`, query: "stage=signed&capital=domestic" } }) },
  "views.delete": {
    kind: "mutation",
    action: "self.update",
    object: "none",
    build: async (env) => {
      // the caller's own view; another user's id answers NOT_FOUND (tests/integration/daily-work.test.ts)
      const v = await saveView(t.db, env.caller, { name: `待删视图${uniq()}`, query: "stage=contact" });
      return { input: { id: v.id } };
    },
  },
  // --- pipeline board and search
  "board.load": {
    kind: "query",
    action: "project.read",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { q: p.name }, visible: (r) => (r as Array<{ cards: Array<{ id: string }> }>).some((c) => c.cards.some((x) => x.id === p.id)) };
    },
  },
  "board.columns": {
    kind: "query",
    action: "project.read",
    object: "object",
    missing: "hidden",
    build: async (env) => {
      await project(env, true);
      return { input: { unit: unitCode(env) }, visible: (r) => (r as Array<{ count: number }>).some((c) => c.count > 0) };
    },
  },
  "board.cards": {
    kind: "query",
    action: "project.read",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { filters: { q: p.name }, stage: "contact", limit: 100 }, visible: (r) => (r as { cards: Array<{ id: string }> }).cards.some((c) => c.id === p.id) };
    },
  },
  "board.search": {
    kind: "query",
    action: "project.read",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { q: p.name }, visible: (r) => (r as { projects: Array<{ id: string }> }).projects.some((x) => x.id === p.id) };
    },
  },
  // --- audit log
  "audit.list": {
    kind: "query",
    action: "audit.read",
    object: "object",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { entityId: p.id, pageSize: 200 }, visible: (r) => (r as { rows: Array<{ entityId: string }> }).rows.some((x) => x.entityId === p.id) };
    },
    leak: async (r, env) => {
      const inScopeIds = new Set((await t.db.select({ id: units.id, path: units.path }).from(units)).filter((u) => u.path.startsWith(env.caller.unitPath)).map((u) => u.id));
      const bad = (r as { rows: Array<{ seq: number; unitId: string | null }> }).rows.filter((x) => !x.unitId || !inScopeIds.has(x.unitId));
      return bad.length ? `audit entries outside scope: ${bad.map((x) => x.seq).join(",")}` : null;
    },
  },
  // the chain is global; a broken entry outside the caller's scope would be named by seq only
  "audit.verify": { kind: "query", action: "audit.read", object: "none", build: async () => ({ input: undefined, visible: (r) => (r as { ok: boolean }).ok === true }) },
  "audit.projectHistory": {
    kind: "query",
    action: "project.read",
    object: "project",
    build: async (env) => {
      const p = await project(env, true);
      return {
        input: { projectId: p.id },
        visible: (r) => (r as { rows: Array<{ entityType: string; entityId: string }> }).rows.some((x) => x.entityType === "project" && x.entityId === p.id),
      };
    },
  },
};

// ---------------------------------------------------------------------------------------------
// File routes: the same matrix through the route handlers (app/api/*/route.ts), called with a
// Request as the browser sends it (same origin) and the caller's session.

type TRouteRequest = { url: string; form?: () => FormData; params?: Record<string, string> };
type TRouteCase = Omit<TCase, "kind" | "action"> & { file: string; method: "GET" | "POST" };

const ORIGIN = "http://localhost:3000";
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const text = (r: unknown) => (r as { text: string }).text;
const fileForm = (fields: Record<string, string>, file: { name: string; type: string; bytes: Uint8Array }) => () => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new File([file.bytes as BlobPart], file.name, { type: file.type }));
  return form;
};
async function xlsxText(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.text ?? "")))));
  return out.join("\n");
}
/** The import's answer with the object's own key taken out, to compare an out-of-scope key with a missing one. */
const importAnswer = (mask: string[]) => (r: unknown) => {
  let s = JSON.stringify(r);
  for (const m of mask) s = s.split(m).join("‹object›");
  return s;
};
const imported = (r: unknown) => {
  const res = (r as { result?: { applied: boolean; errors: unknown[] } }).result;
  return !!res && res.applied && res.errors.length === 0;
};
const importForm = (kind: string, csv: string) => fileForm({ kind, dryRun: "0" }, { name: `${kind}.csv`, type: "text/csv", bytes: new TextEncoder().encode(csv) });

/** An evidence file on a pending tranche of the place (uploaded before the project is deleted). */
async function evidenceFile(env: TEnv): Promise<{ id: string }> {
  if (!env.place) return { id: randomUUID() };
  const p = await makeProject(t.db, env.creator!, { unitId: env.place.unit.id, startedOn: "2026-03-02" });
  const s = await moveProjectStage(t.db, env.creator!, { id: p.id, version: p.version, toStage: "signed", toStatus: "active", businessDate: "2026-03-10", signedAmount: "200000000" });
  const tr = await reportTranche(t.db, env.place.staff, { projectId: s.id, amount: "1000000", arrivedOn: "2026-04-01", evidenceNo: `JZ${uniq()}` });
  const [file] = await addEvidence(t.db, env.place.staff, tr.id, [{ name: "银行进账单.pdf", bytes: PDF }]);
  if (env.deleted) await softDelete(s.id);
  return file!;
}

const ROUTE_CASES: Record<string, TRouteCase> = {
  "GET /api/export/projects kind=list": {
    file: "app/api/export/projects/route.ts",
    method: "GET",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      return { input: { url: `${ORIGIN}/api/export/projects?format=csv&q=${encodeURIComponent(p.name)}` }, visible: (r) => text(r).includes(p.code) };
    },
  },
  "GET /api/export/projects kind=stage-report": {
    file: "app/api/export/projects/route.ts",
    method: "GET",
    object: "project",
    missing: "hidden",
    build: async (env) => {
      const p = await project(env, true);
      // the summary sheet repeats the filters (the name searched for): the code is what only a row shows
      return { input: { url: `${ORIGIN}/api/export/projects?format=xlsx&kind=stage-report&q=${encodeURIComponent(p.name)}` }, visible: (r) => text(r).includes(p.code) };
    },
  },
  "GET /api/export/review-pack": {
    file: "app/api/export/review-pack/route.ts",
    method: "GET",
    object: "object",
    build: async (env) => ({
      input: { url: `${ORIGIN}/api/export/review-pack?unit=${encodeURIComponent(unitCode(env))}&from=2026-01-01&to=2026-03-31&format=csv` },
      visible: (r) => !!env.place && text(r).includes(env.place.unit.name),
    }),
  },
  "GET /api/evidence/[fileId]": {
    file: "app/api/evidence/[fileId]/route.ts",
    method: "GET",
    object: "project",
    build: async (env) => {
      const f = await evidenceFile(env);
      return { input: { url: `${ORIGIN}/api/evidence/${f.id}`, params: { fileId: f.id } }, visible: (r) => text(r).startsWith("%PDF-1.4") };
    },
  },
  "POST /api/tranches/[trancheId]/evidence": {
    file: "app/api/tranches/[trancheId]/evidence/route.ts",
    method: "POST",
    object: "project",
    build: async (env) => {
      const tr = await tranche(env);
      return {
        input: { url: `${ORIGIN}/api/tranches/${tr.id}/evidence`, params: { trancheId: tr.id }, form: fileForm({}, { name: "验资报告.pdf", type: "application/pdf", bytes: PDF }) },
        visible: (r) => (JSON.parse(text(r)) as { files: unknown[] }).files.length === 1,
      };
    },
  },
  // the object of each import is what its rows refer to: a parent unit, a responsible unit, a project
  "POST /api/import kind=units": {
    file: "app/api/import/route.ts",
    method: "POST",
    missing: "rejected",
    object: "object",
    build: async (env) => {
      const n = uniq();
      const parent = unitCode(env);
      return { input: { url: `${ORIGIN}/api/import`, form: importForm("units", `单位代码,单位名称,上级代码\r\nIU${n},导入测试园区${n},${parent}\r\n`) }, visible: imported, answer: importAnswer([parent, `IU${n}`, `导入测试园区${n}`]) };
    },
  },
  "POST /api/import kind=projects": {
    file: "app/api/import/route.ts",
    method: "POST",
    missing: "rejected",
    object: "object",
    build: async (env) => {
      const n = uniq().toUpperCase();
      const unit = unitCode(env);
      const csv = `项目编号,项目名称,内外资,责任单位,投资方,投资方来源地,行业,来源渠道,计划投资额(万元),阶段,状态,接触日期,洽谈日期\r\nIMP-${n},导入矩阵项目${n},内资,${unit},导入矩阵投资${n}有限公司,江苏,新能源,展会,1000,洽谈,推进中,2026-01-05,2026-02-10\r\n`;
      return { input: { url: `${ORIGIN}/api/import`, form: importForm("projects", csv) }, visible: imported, answer: importAnswer([unit, `IMP-${n}`, n]) };
    },
  },
  "POST /api/import kind=tranches": {
    file: "app/api/import/route.ts",
    method: "POST",
    missing: "rejected",
    object: "project",
    build: async (env) => {
      const p = env.place ? await signedProject(env) : fakeProject();
      const ev = `DR${uniq()}`;
      const csv = `项目编号,到位日期,到位金额,凭证号\r\n${p.code},2026-04-05,10000,${ev}\r\n`;
      return { input: { url: `${ORIGIN}/api/import`, form: importForm("tranches", csv) }, visible: imported, answer: importAnswer([p.code, ev]) };
    },
  },
  "POST /api/import kind=targets": {
    file: "app/api/import/route.ts",
    method: "POST",
    missing: "rejected",
    object: "object",
    build: async (env) => {
      const unit = unitCode(env);
      const year = targetYear++;
      return { input: { url: `${ORIGIN}/api/import`, form: importForm("targets", `单位,年度,指标,目标值\r\n${unit},${year},signed_projects,12\r\n`) }, visible: imported, answer: importAnswer([unit, String(year)]) };
    },
  },
};

/** The session a signed-in browser presents: next-auth's decoded token for this user. */
async function sessionOf(actor: TActor) {
  const [u] = await t.db.select({ sv: users.sessionVersion }).from(users).where(eq(users.id, actor.id));
  const now = Math.floor(Date.now() / 1000);
  return { uid: actor.id, sv: u?.sv ?? 0, authAt: now, iat: now };
}

const HTTP_CODES: Record<number, string> = { 400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 412: "PRECONDITION_FAILED", 429: "TOO_MANY_REQUESTS" };

async function invokeRoute(c: TRouteCase, session: unknown, req: TRouteRequest): Promise<TOutcome> {
  routeCtx.db = t.db;
  routeCtx.session = session;
  const mod = (await import(path.join(process.cwd(), c.file))) as Record<string, (r: Request, ctx: unknown) => Promise<Response>>;
  const res = await mod[c.method]!(
    new Request(req.url, { method: c.method, headers: { host: "localhost:3000", origin: ORIGIN }, body: req.form?.() }),
    { params: Promise.resolve(req.params ?? {}) },
  );
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    return { ok: false, code: "STREAM_ABORTED", fp: `STREAM_ABORTED|${String(e)}` };
  }
  const type = res.headers.get("content-type") ?? "";
  if (res.status !== 200) return { ok: false, code: HTTP_CODES[res.status] ?? `HTTP_${res.status}`, fp: `${res.status}|${bytes.toString("utf8")}` };
  if (type.includes("ndjson")) {
    // the import answers 200 and streams its outcome: progress lines, then a result or an error
    const last = JSON.parse(bytes.toString("utf8").trim().split("\n").pop()!) as { type: string; code?: string; message?: string; result?: unknown };
    if (last.type === "error") {
      const code = APP_ERROR_CODES[last.code as keyof typeof APP_ERROR_CODES] ?? last.code!;
      return { ok: false, code, fp: `${code}|${last.message}` };
    }
    return { ok: true, value: last };
  }
  return { ok: true, value: { text: type.includes("spreadsheetml") ? await xlsxText(bytes) : bytes.toString("utf8") } };
}

// ---------------------------------------------------------------------------------------------
// Running one check

type TProcDef = { _def: { type: string; meta?: { action?: TAction } } };
const PROCEDURES = (appRouter._def as unknown as { procedures: Record<string, TProcDef> }).procedures;

type TOutcome = { ok: true; value: unknown } | { ok: false; code: string; fp: string };

async function invoke(actor: TActor | null, path: string, input: unknown): Promise<TOutcome> {
  const api = callerFor(t.db, actor) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [ns, name] = path.split(".") as [string, string];
  try {
    return { ok: true, value: await api[ns]![name]!(input) };
  } catch (e) {
    if (!(e instanceof TRPCError)) return { ok: false, code: `NOT_A_TRPC_ERROR`, fp: String(e) };
    // createCaller errors carry the message key; with an AppError also compare its values and
    // fields, so nothing about an out-of-scope object can differ from a missing one
    const cause = e.cause instanceof AppError ? e.cause : null;
    const extra = cause ? JSON.stringify({ v: cause.msg.values ?? null, f: cause.fields ?? null, d: cause.data ?? null }) : "";
    return { ok: false, code: e.code, fp: `${e.code}|${e.message}|${extra}` };
  }
}

/** What the answer tells the caller, for comparing with the missing case. */
function seen(o: TOutcome, built: TBuilt) {
  if (!o.ok) return `error ${o.fp}`;
  if (built.answer) return `ok, ${built.answer(o.value)}`;
  if (built.visible) return built.visible(o.value) ? "ok, object visible" : "ok, object hidden";
  return "ok";
}

const stats = { procedures: 0, routes: 0, checks: 0, allowed: 0, denied: 0, disabled: 0, unexpected: [] as string[] };

/** One row of the matrix: a procedure or a route, and how to call it as someone. */
type TRow = {
  name: string;
  object: TCase["object"];
  missing?: TCase["missing"];
  build: TCase["build"];
  leak?: TCase["leak"];
  /** call it with the caller's own, live session */
  call: (actor: TActor, built: TBuilt) => Promise<TOutcome>;
  /** call it as a browser with this session (null: none); the request is resolved to an actor the production way */
  callAs: (session: unknown, built: TBuilt) => Promise<TOutcome>;
};

const procedureRow = (name: string, c: TCase): TRow => ({
  name, object: c.object, missing: c.missing, build: c.build, leak: c.leak,
  call: (actor, built) => invoke(built.actor ?? actor, name, built.input),
  // what createRequestContext does: the session's user, checked against the database
  callAs: async (session, built) => invoke(session ? await actorForSession(t.db, session) : null, name, built.input),
});
const routeRow = (name: string, c: TRouteCase): TRow => ({
  name, object: c.object, missing: c.missing, build: c.build, leak: c.leak,
  call: async (actor, built) => invokeRoute(c, await sessionOf(built.actor ?? actor), built.input as TRouteRequest),
  callAs: (session, built) => invokeRoute(c, session, built.input as TRouteRequest),
});

/** Users disabled by an admin while their session is still within its lifetimes. */
let disabledSessions: Array<{ label: string; session: unknown }> | null = null;
async function disabledCallers() {
  if (disabledSessions) return disabledSessions;
  const out: Array<{ label: string; session: unknown }> = [];
  for (const role of ["staff", "leader", "admin"] as const) {
    const u = await insertUser(t.db, `disabled.${role}${uniq()}@test.example`, `停用${role}`, role, w.units.dalian.id);
    const actor = await actorOf(t.db, u.id);
    const session = await sessionOf(actor);
    // positive control: the session works until the account is disabled
    if ((await actorForSession(t.db, session))?.id !== u.id) throw new Error("setup: a live session is refused");
    await callerFor(t.db, w.actors.admin).users.update({ id: u.id, version: u.version, name: u.name, role, unitId: u.unitId, disabled: true });
    out.push({ label: `disabled ${role}@大连市`, session });
  }
  return (disabledSessions = out);
}

async function runRow(row: TRow, spec: TSpec | undefined) {
  const problems: string[] = [];
  const record = (kind: "allowed" | "denied" | "unexpected", what: string) => {
    stats.checks++;
    if (kind === "unexpected") {
      stats.unexpected.push(what);
      problems.push(what);
    } else stats[kind]++;
  };
  if (!spec) {
    record("unexpected", `${row.name}: no expectation in SPEC_ROLES`);
    return problems;
  }

  // signed out, and each disabled user with an otherwise valid session: UNAUTHORIZED everywhere
  // except the public me.get (null)
  {
    const env = envFor(CALLERS.find((x) => x.label === "admin@辽宁省")!, row.object === "none" ? "none" : "own");
    const built = await row.build(env);
    const who: Array<{ label: string; session: unknown }> = [{ label: "signed-out", session: null }, ...(await disabledCallers())];
    for (const { label, session } of who) {
      const o = await row.callAs(session, built);
      if (session) stats.disabled++;
      if (spec === "public") {
        if (o.ok && o.value === null) record("denied", "");
        else record("unexpected", `${row.name} ${label}: expected null, got ${seen(o, built)}`);
      } else if (!o.ok && o.code === "UNAUTHORIZED") record("denied", "");
      else record("unexpected", `${row.name} ${label}: expected UNAUTHORIZED, got ${seen(o, built)}`);
    }
  }

  for (const callerDef of CALLERS) {
    const role: TRole = callerDef.actor().role;
    const allowedRole = spec === "public" || spec.includes(role);
    const relations: readonly TRel[] =
      row.object === "none" ? ["none"] : RELATIONS.filter((r) => (r !== "deleted" || row.object === "project") && (r !== "other-city" || callerDef.otherCity));

    // the missing object first: what "not there" looks like to this caller
    let missingSeen: string | null = null;
    const outcomes: Array<{ env: TEnv; built: TBuilt; o: TOutcome }> = [];
    for (const rel of relations) {
      const env = envFor(callerDef, rel);
      const built = await row.build(env);
      const o = await row.call(env.caller, built);
      outcomes.push({ env, built, o });
      if (rel === "missing") missingSeen = seen(o, built);
    }

    for (const { env, built, o } of outcomes) {
      const where = `${row.name} as ${callerDef.label} on ${env.rel}${env.place ? ` (${env.place.unit.code})` : ""}`;
      const got = seen(o, built);
      if (!allowedRole) {
        // FORBIDDEN exactly when the spec gives the role no such right, whatever the object
        if (!o.ok && o.code === "FORBIDDEN") record("denied", "");
        else record("unexpected", `${where}: the spec does not allow ${role} this, expected FORBIDDEN, got ${got}`);
        continue;
      }
      if (!o.ok && o.code === "FORBIDDEN") {
        record("unexpected", `${where}: the spec allows ${role} this, but got FORBIDDEN (${o.fp})`);
        continue;
      }
      if (env.rel === "none" || inScope(env)) {
        // allowed: it must actually work (inputs are valid in business terms) and show the object
        if (o.ok && (!built.visible || built.visible(o.value))) {
          const leak = row.leak ? await row.leak(o.value, env) : null;
          if (leak) record("unexpected", `${where}: ${leak}`);
          else record("allowed", "");
        } else record("unexpected", `${where}: in scope, expected success, got ${got}`);
        continue;
      }
      if (env.rel === "missing") {
        const want = row.missing ?? "NOT_FOUND";
        const ok = want === "hidden" ? got === "ok, object hidden" : want === "rejected" ? o.ok && !built.visible!(o.value) : !o.ok && o.code === want;
        if (ok) record("denied", "");
        else record("unexpected", `${where}: a missing object should answer ${want}, got ${got}`);
        continue;
      }
      // out of scope or deleted: indistinguishable from missing
      if (got === missingSeen) record("denied", "");
      else record("unexpected", `${where}: out of scope should answer like missing (${missingSeen}), got ${got}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

const routeFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name).split(path.sep).join("/")] : []));

describe("authorization matrix", () => {
  it("covers every procedure of the router and every file route, each with the spec's expectation", () => {
    const names = Object.keys(PROCEDURES);
    expect(names.length).toBeGreaterThan(30);
    const noCase = names.filter((n) => !CASES[n]);
    expect(noCase, "procedures without a matrix entry (add one to CASES)").toEqual([]);
    const stale = Object.keys(CASES).filter((n) => !PROCEDURES[n]);
    expect(stale, "matrix entries for procedures that no longer exist").toEqual([]);
    const noSpec = [...names, ...Object.keys(ROUTE_CASES)].filter((n) => !SPEC_ROLES[n]);
    expect(noSpec, "procedures or routes without an expectation written from the spec (add one to SPEC_ROLES)").toEqual([]);
    const wrong = names
      .filter((n) => CASES[n])
      .filter((n) => (PROCEDURES[n]!._def.meta?.action ?? null) !== CASES[n]!.action || PROCEDURES[n]!._def.type !== CASES[n]!.kind)
      .map((n) => `${n}: ${PROCEDURES[n]!._def.type} ${PROCEDURES[n]!._def.meta?.action ?? "public"}`);
    expect(wrong, "procedures whose action or kind differs from the matrix").toEqual([]);
    // and every action a procedure names exists in the permission table
    const unknown = names.map((n) => PROCEDURES[n]!._def.meta?.action).filter((a): a is TAction => !!a && !(a in PERMISSIONS));
    expect(unknown).toEqual([]);
    // every route file but tRPC's (the procedures above) and next-auth's own has rows, every import kind too
    const files = routeFiles("app/api").filter((f) => !f.includes("/trpc/") && !f.includes("[...nextauth]"));
    expect(files.filter((f) => !Object.values(ROUTE_CASES).some((c) => c.file === f)), "route files without a matrix row").toEqual([]);
    expect(IMPORT_KINDS.filter((k) => !ROUTE_CASES[`POST /api/import kind=${k}`]), "import kinds without a matrix row").toEqual([]);
  });

  for (const name of Object.keys(PROCEDURES)) {
    it(name, async () => {
      const c = CASES[name];
      expect(c, `no matrix entry for ${name}`).toBeDefined();
      const problems = await runRow(procedureRow(name, c!), SPEC_ROLES[name]);
      stats.procedures++;
      expect(problems).toEqual([]);
    });
  }

  for (const [name, c] of Object.entries(ROUTE_CASES)) {
    it(name, async () => {
      const problems = await runRow(routeRow(name, c), SPEC_ROLES[name]);
      stats.routes++;
      expect(problems).toEqual([]);
    });
  }

  it("summary", () => {
    const line = `authorization matrix: ${stats.checks} checks (${stats.procedures} procedures, ${stats.routes} routes; ${stats.disabled} as disabled users), ${stats.allowed} allowed, ${stats.denied} denied, ${stats.unexpected.length} unexpected`;
    console.log(line);
    expect(stats.procedures, "every procedure ran its matrix").toBe(Object.keys(PROCEDURES).length);
    expect(stats.routes, "every route ran its matrix").toBe(Object.keys(ROUTE_CASES).length);
    expect(stats.checks).toBeGreaterThan((Object.keys(PROCEDURES).length + Object.keys(ROUTE_CASES).length) * 10);
    expect(stats.unexpected).toEqual([]);
  });
});
