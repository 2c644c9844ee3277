// Deterministic demo data: Liaoning's unit tree, users of every role, and a pipeline that has run
// in a steady state for three and a half years or more before `today` — every stage and status,
// investors, contacts, stage histories, funds tranches (verified, pending, rejected), follow-ups
// and annual targets. Everything is placed relative to `today`, so that last year against the year
// before, or this year to date against the same dates last year, look like any two real years.
import { count, eq } from "drizzle-orm";
import { quarterPeriod } from "@/lib/periods";
import { loadActor } from "@/server/auth/authenticate";
import { publishFigures } from "@/server/figures/publish";
import { lockPeriod } from "@/server/locks/lock-period";
import type { Db } from "@/db/client";
import * as s from "@/db/schema";
import { addDays, daysBetween, todayCN } from "@/lib/dates";
import { INDUSTRIES, SOURCE_CHANNELS, STAGES, type TActivityKind, type TIndustry, type TRole, type TStage, type TStatus } from "@/lib/domain";
import { dec } from "@/lib/money";
import { normalizeInvestorName } from "@/lib/normalize-name";
import { codesFromPath, deriveOriginClass } from "@/lib/origin-class";
import { hashPassword } from "@/server/auth/password";
import { invalid } from "@/server/lib/errors";
import { passwordPolicyProblem } from "@/server/users/users";
import { CITY_WEIGHT, LIAONING_UNITS } from "./liaoning";
import { creditCode, domesticInvestorName, FOREIGN_ORIGINS, foreignInvestorName, personName, projectName } from "./names";
import { createRandom, seededUuid, type TRandom } from "./random";

export const DEMO_LOGINS = [
  { email: "admin@zs.example", role: "admin", unit: "210000", name: "系统管理员" },
  { email: "leader@zs.example", role: "leader", unit: "210000", name: "王建国" },
  { email: "leader.dl@zs.example", role: "leader", unit: "210200", name: "李海波" },
  { email: "staff.sy@zs.example", role: "staff", unit: "210100", name: "张晓东" },
  { email: "staff.dl@zs.example", role: "staff", unit: "210200", name: "刘丽娜" },
] as const satisfies ReadonlyArray<{ email: string; role: TRole; unit: string; name: string }>;

const CITY_ABBR: Record<string, string> = {
  "210100": "sy", "210200": "dl", "210300": "as", "210400": "fs", "210500": "bx", "210600": "dd", "210700": "jz",
  "210800": "yk", "210900": "fx", "211000": "ly", "211100": "pj", "211200": "tl", "211300": "cy", "211400": "hld",
};

// domestic investors: one in five from Liaoning itself
const OUT_OF_PROVINCE_ORIGINS: ReadonlyArray<readonly [string, number]> = [
  ["320000", 12], ["330000", 10], ["440000", 12], ["110000", 10], ["310000", 9], ["370000", 7], ["120000", 3],
  ["130000", 2], ["340000", 2], ["350000", 3], ["420000", 2], ["510000", 2], ["610000", 1], ["220000", 2], ["230000", 1],
];
const IN_PROVINCE_ORIGINS: ReadonlyArray<readonly [string, number]> = [["210100", 8], ["210200", 8], ["210300", 2], ["210800", 2], ["211100", 2]];

const LOST_REASONS = ["投资方战略调整，项目取消", "选址转至外省", "用地指标无法落实", "投资方资金链紧张", "环评未通过"];
const HOLD_REASONS = ["等待投资方董事会决策", "用地规划调整中", "能耗指标待协调"];
const ACTIVITY_SUMMARY: Record<TActivityKind, string[]> = {
  visit: ["赴企业总部走访，了解投资意向和产能布局", "陪同投资方考察拟选地块及周边配套", "走访企业，协调解决项目推进中的问题"],
  meeting: ["与投资方就用地、能耗指标和扶持政策进行会谈", "召开项目推进专题会，明确各部门责任分工", "与投资方洽谈合同条款"],
  call: ["电话沟通项目进展，投资方确认下月来访", "电话跟进合同审批进度"],
  delegation: ["市领导带队赴企业总部开展招商", "随省商务厅代表团赴外开展招商推介"],
  event: ["在东北亚博览会上与投资方签订意向书", "参加辽洽会项目对接活动", "举办专场招商推介会"],
  other: ["整理项目资料报送上级部门", "协助企业办理注册登记手续"],
};
const FUNDED_SUMMARY = ["走访企业，了解项目建设进度", "协调解决项目建设用电、用水问题", "跟进后续资金到位计划", "陪同市领导调研项目建设情况"];
const NEXT_STEPS = ["报送项目用地需求", "安排投资方实地考察", "起草投资合作协议", "协调能评、环评手续", "组织项目评审会", "跟进首笔资金到位"];

/** Projects first contacted in the twelve months before `today` (by default); each earlier year a little fewer. */
const PROJECTS_PER_YEAR = 185;
const YEARLY_GROWTH = 0.06;
/** Share of foreign-funded projects: foreign investment goes mostly to the ports and the capital. */
const FOREIGN_SHARE: Record<string, number> = {
  "210100": 0.3, "210200": 0.45, "210300": 0.1, "210400": 0.06, "210500": 0.06, "210600": 0.2, "210700": 0.1,
  "210800": 0.3, "210900": 0.05, "211000": 0.06, "211100": 0.15, "211200": 0.06, "211300": 0.05, "211400": 0.08,
};
/**
 * Where a project's pipeline ends if time lets it (cumulative shares). Fates and amounts are drawn
 * from low-discrepancy sequences per city (fatesAndSizes), so that each city's funded projects,
 * big and small, come at a steady pace rather than in lucky or unlucky years: a real province has
 * thousands of projects, the demo a few hundred, and independent draws would make its YoY swing.
 */
const FATES = [
  ["funds", 0.4],
  ["signed", 0.48],
  ["negotiation", 0.72],
  ["contact", 1],
] as const satisfies ReadonlyArray<readonly [TStage, number]>;

/** `projects`: first contacted in the 3½ years before `today` (default ~590; those still funded from before come on top); `today`: not after the real date. */
type TSeedOptions = { password: string; seed?: number; projects?: number; today?: string };
type TRows = {
  units: (typeof s.units.$inferInsert)[];
  users: (typeof s.users.$inferInsert)[];
  investors: (typeof s.investors.$inferInsert)[];
  contacts: (typeof s.contacts.$inferInsert)[];
  projects: (typeof s.projects.$inferInsert)[];
  events: (typeof s.stageEvents.$inferInsert)[];
  tranches: (typeof s.tranches.$inferInsert)[];
  activities: (typeof s.activities.$inferInsert)[];
  targets: (typeof s.targets.$inferInsert)[];
};

export async function isDatabaseEmpty(db: Db) {
  const [u] = await db.select({ n: count() }).from(s.units);
  return (u?.n ?? 0) === 0;
}

/**
 * A working-hours moment on `date` (+ lag) in China time, as a UTC instant — never after `now`: a
 * moment still to come today is moved back before `now`, but not before the start of its day (or
 * of today, for a later day). The same draws whatever the hour the demo is loaded at, so the rows
 * depend on the seed and `today` only.
 */
function clock(now: Date) {
  return (r: TRandom, date: string, lagDays = 0) => {
    const d = addDays(date, lagDays);
    const hh = r.int(9, 17);
    const mm = r.int(0, 59);
    const t = Date.parse(`${d}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+08:00`);
    if (t <= now.getTime()) return new Date(t);
    const dayStart = Date.parse(`${[d, todayCN(now)].sort()[0]}T00:00:00+08:00`);
    return new Date(Math.max(now.getTime() - (5 + ((hh * 60 + mm) % 595)) * 60_000, dayStart));
  };
}
type TClock = ReturnType<typeof clock>;

/** A row's two timestamps: the update never before the creation (both drawn on the same day may cross). */
const createdAndUpdated = (createdAt: Date, updatedAt = createdAt) => ({ createdAt, updatedAt: updatedAt < createdAt ? createdAt : updatedAt });
const roundTo = (v: ReturnType<typeof dec>, step: number) => v.div(step).round().times(step);
/** Rounded to two significant digits (e.g. 34亿, 5.6亿, 3400万): how a bureau writes a target. */
const roundTarget = (v: ReturnType<typeof dec>) => v.toSignificantDigits(2);
const atLeast = (v: ReturnType<typeof dec>, min: ReturnType<typeof dec>) => (v.gte(min) ? v : min);
const frac = (x: number) => x - Math.floor(x);

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** The demo covers the three and a half years before today… */
const WINDOW_DAYS = 1278;
/**
 * … plus the projects contacted up to CARRIED_DAYS earlier that still receive funds in it: the
 * tracker "went live" on a running pipeline. Funds come in up to three years after the first
 * contact, so without them the first years would lack the funds of earlier contacts and last
 * year's growth over the year before would be absurd.
 */
const CARRIED_DAYS = 1300;
const LAMBDA = Math.log(1 + YEARLY_GROWTH) / 365;
/** Share of first contacts over `days` that fall in the last `recent` of them (the density grows by LAMBDA). */
const recentShare = (recent: number, days: number) => (1 - Math.exp(-LAMBDA * recent)) / (1 - Math.exp(-LAMBDA * days));

/** How many projects are first contacted in the window by default: PROJECTS_PER_YEAR in the latest year, fewer before. */
export const defaultProjectCount = () => Math.round(((PROJECTS_PER_YEAR / 365) * (1 - Math.exp(-LAMBDA * WINDOW_DAYS))) / LAMBDA);

export async function seedDemo(db: Db, opts: TSeedOptions) {
  const today = opts.today ?? todayCN();
  // DEMO_PASSWORD and `db seed --password` set real sign-ins: the policy of every other password
  const weak = passwordPolicyProblem(opts.password);
  if (weak) throw invalid({ password: weak });
  // last year's figures are published as of the database clock: nothing may be recorded after it
  if (today > todayCN()) throw new Error(`demo data as of ${today}: that day has not come yet`);
  const now = new Date(Math.min(Date.parse(`${today}T20:00:00+08:00`), Date.now()));
  const rows = buildDemo({ seed: opts.seed, projects: opts.projects, today, now, passwordHash: await hashPassword(opts.password) });

  const summary = await db.transaction(async (tx) => {
    await tx.insert(s.units).values(rows.units);
    await tx.insert(s.users).values(rows.users);
    await insertChunked(rows.investors, (c) => tx.insert(s.investors).values(c));
    await insertChunked(rows.contacts, (c) => tx.insert(s.contacts).values(c));
    await insertChunked(rows.projects, (c) => tx.insert(s.projects).values(c));
    await insertChunked(rows.events, (c) => tx.insert(s.stageEvents).values(c));
    await insertChunked(rows.tranches, (c) => tx.insert(s.tranches).values(c));
    await insertChunked(rows.activities, (c) => tx.insert(s.activities).values(c));
    await tx.insert(s.targets).values(rows.targets);
    await tx.insert(s.auditLog).values({
      actorId: null, action: "demo.seed", entityType: "installation", entityId: "demo",
      after: { seed: opts.seed ?? 20260101, projects: rows.projects.length, tranches: rows.tranches.length, users: rows.users.length },
    });
    return { users: rows.users.length, projects: rows.projects.length, tranches: rows.tranches.length, investors: rows.investors.length, activities: rows.activities.length };
  });

  // last year was reported: its quarters are locked province-wide ten days after each one ends
  // (in the first days of January its fourth quarter is not yet), and the provincial leader
  // published the year's figures
  const at = clock(now);
  const r = createRandom((opts.seed ?? 20260101) + 2);
  const [leaderRow] = await db.select({ id: s.users.id, sv: s.users.sessionVersion }).from(s.users).where(eq(s.users.email, "leader@zs.example"));
  const leader = await loadActor(db, leaderRow!.id, leaderRow!.sv);
  const lastYear = Number(today.slice(0, 4)) - 1;
  for (const n of demoLockedQuarters(today)) {
    const end = quarterPeriod(lastYear, n).to;
    await lockPeriod(db, leader!, { unit: "210000", kind: "quarter", year: lastYear, n }, at(r, addDays(end, 10)));
  }
  await publishFigures(db, leader!, { unit: "210000", from: `${lastYear}-01-01`, to: `${lastYear}-12-31` });
  return summary;
}

/** Last year's quarters the demo has locked by `today`: each ten days after it ended. */
export const demoLockedQuarters = (today: string) =>
  [1, 2, 3, 4].filter((n) => addDays(quarterPeriod(Number(today.slice(0, 4)) - 1, n).to, 10) <= today);

/** Every row of the demo installation, without touching a database (pure: the same options give the same rows). */
export function buildDemo(opts: { seed?: number; projects?: number; today: string; now: Date; passwordHash: string }): TRows {
  const seed = opts.seed ?? 20260101;
  const r = createRandom(seed);
  const { today, passwordHash } = opts;
  const at = clock(opts.now);

  // units
  const unitByCode = new Map<string, typeof s.units.$inferInsert & { id: string; path: string }>();
  for (const u of LIAONING_UNITS) {
    const parent = u.parent ? unitByCode.get(u.parent)! : null;
    unitByCode.set(u.code, { id: seededUuid(r), code: u.code, name: u.name, kind: u.kind, parentId: parent?.id ?? null, path: `${parent?.path ?? ""}${u.code}/` });
  }
  const cities = LIAONING_UNITS.filter((u) => u.kind === "city").map((u) => u.code);
  const childrenOf = (city: string) => LIAONING_UNITS.filter((u) => u.parent === city).map((u) => u.code);

  // users: the demo logins, then a leader and staff for every city
  const users: (typeof s.users.$inferInsert & { id: string; name: string })[] = DEMO_LOGINS.map((u) => ({
    id: seededUuid(r), email: u.email, name: u.name, role: u.role, unitId: unitByCode.get(u.unit)!.id, passwordHash,
  }));
  for (const city of cities) {
    const abbr = CITY_ABBR[city]!;
    if (!users.some((u) => u.email === `leader.${abbr}@zs.example`))
      users.push({ id: seededUuid(r), email: `leader.${abbr}@zs.example`, name: personName(r), role: "leader", unitId: unitByCode.get(city)!.id, passwordHash });
    for (let i = 2; i <= (CITY_WEIGHT[city]! >= 8 ? 3 : 2); i++)
      users.push({ id: seededUuid(r), email: `staff${i}.${abbr}@zs.example`, name: personName(r), role: "staff", unitId: unitByCode.get(city)!.id, passwordHash });
    for (const child of childrenOf(city))
      users.push({ id: seededUuid(r), email: `staff.${child.toLowerCase()}@zs.example`, name: personName(r), role: "staff", unitId: unitByCode.get(child)!.id, passwordHash });
  }
  users.push({ id: seededUuid(r), email: "staff.ln@zs.example", name: personName(r), role: "staff", unitId: unitByCode.get("210000")!.id, passwordHash });
  const staffOf = (unitId: string) => users.filter((u) => u.role === "staff" && u.unitId === unitId);
  const leaderOf = (cityCode: string) =>
    users.find((u) => u.role === "leader" && u.unitId === unitByCode.get(cityCode)!.id) ?? users.find((u) => u.email === "leader@zs.example")!;

  const investors: (typeof s.investors.$inferInsert & { id: string; name: string })[] = [];
  const rows: Omit<TRows, "units" | "users" | "investors" | "targets"> = { contacts: [], projects: [], events: [], tranches: [], activities: [] };
  const codeSeq = new Map<number, number>();
  const usedNames = new Set<string>();

  // first contacts: stratified with a steadily growing density, in date order, from CARRIED_DAYS
  // before the window (only those still funded in the window are kept)
  const from = addDays(today, -WINDOW_DAYS);
  const first = addDays(from, -CARRIED_DAYS);
  const days = WINDOW_DAYS + CARRIED_DAYS;
  const nAll = Math.round((opts.projects ?? defaultProjectCount()) / recentShare(WINDOW_DAYS, days));
  const startOn = (i: number) => {
    const u = (i + r.next()) / nAll;
    return addDays(first, Math.min(days, Math.floor(Math.log(1 + u * (Math.exp(LAMBDA * days) - 1)) / LAMBDA)));
  };
  // cities take turns by weight (smooth weighted round robin); each city has its own sequences
  const totalWeight = cities.reduce((n, c) => n + CITY_WEIGHT[c]!, 0);
  const turn = new Map(cities.map((c) => [c, r.next() * totalWeight]));
  const nextCity = () => {
    for (const c of cities) turn.set(c, turn.get(c)! + CITY_WEIGHT[c]!);
    const c = cities.reduce((a, b) => (turn.get(b)! > turn.get(a)! ? b : a));
    turn.set(c, turn.get(c)! - totalWeight);
    return c;
  };
  const seqs = new Map(cities.map((c) => [c, { isForeign: cadence(r, FOREIGN_SHARE[c]!), domestic: fatesAndSizes(r), foreign: fatesAndSizes(r) }]));

  for (let i = 0; i < nAll; i++) {
    const startedOn = startOn(i);
    const city = nextCity();
    const seq = seqs.get(city)!;
    const isForeign = seq.isForeign();
    const { fate, size, fromLiaoning } = (isForeign ? seq.foreign : seq.domestic)();
    const origins = isForeign ? FOREIGN_ORIGINS : fromLiaoning ? IN_PROVINCE_ORIGINS : OUT_OF_PROVINCE_ORIGINS;
    const capitalType = isForeign ? "foreign" : "domestic";

    const kids = childrenOf(city);
    const unitCode = kids.length && r.chance(0.35) ? r.pick(kids) : city;
    const unit = unitByCode.get(unitCode)!;
    const owner = r.pick(staffOf(unit.id).length ? staffOf(unit.id) : staffOf(unitByCode.get(city)!.id));
    const industry: TIndustry = r.pick(INDUSTRIES.filter((x) => x !== "other"));

    // log-uniform over the city's sequence: 6000万 yuan up to 15亿 in the largest cities, less in
    // the smaller ones; 300万 US dollars up to 4500万 in Dalian, a few million in a small city
    const weight = CITY_WEIGHT[city]! / 20;
    const planned = isForeign
      ? logQuantile(size, 3_000_000, Math.max(6_000_000, 45_000_000 * weight ** 1.5), 10_000)
      : logQuantile(size, 60_000_000, 1_500_000_000 * Math.sqrt(weight), 100_000);

    const projectId = seededUuid(r);
    const p = pipeline(r, at, { projectId, ownerId: owner.id, startedOn, today, now: opts.now, fate, size, planned, isForeign, verifierId: leaderOf(city).id });
    if (startedOn < from && !p.tranches.some((t) => t.arrivedOn >= from)) continue;
    const year = Number(startedOn.slice(0, 4));
    const n = (codeSeq.get(year) ?? 0) + 1;
    codeSeq.set(year, n);
    // investors are created with their projects (a few invest in several cities)
    const sameOrigins = investors.filter((v) => origins.some(([o]) => o === (v.originCountry ?? v.originRegion)));
    let investor = sameOrigins.length > 5 && r.chance(0.15) ? r.pick(sameOrigins) : undefined;
    if (!investor) {
      const origin = r.weighted(origins);
      const newName = () => (isForeign ? foreignInvestorName(r, origin, industry) : domesticInvestorName(r, origin, industry));
      let name = newName();
      while (usedNames.has(normalizeInvestorName(name))) name = newName();
      usedNames.add(normalizeInvestorName(name));
      investor = {
        id: seededUuid(r),
        name,
        nameNormalized: normalizeInvestorName(name),
        creditCode: !isForeign && r.chance(0.7) ? creditCode(r, origin.slice(0, 2) === "21" ? origin : `${origin.slice(0, 2)}0100`) : null,
        originRegion: isForeign ? null : origin,
        originCountry: isForeign ? origin : null,
        ownerUnitId: unit.id,
        createdBy: owner.id,
      };
      investors.push(investor);
      for (let c = 0; c < r.int(1, 2); c++)
        rows.contacts.push({
          investorId: investor.id,
          name: personName(r),
          title: r.pick(["董事长", "总经理", "投资总监", "副总裁", "项目经理", "战略发展部部长"]),
          phone: `1${r.pick(["39", "38", "86", "58", "35"])}${String(r.int(0, 99999999)).padStart(8, "0")}`,
          email: null,
          ownerUnitId: unit.id,
        });
    }
    rows.events.push(...p.events);
    rows.tranches.push(...p.tranches);
    const activities = followUps(r, at, { projectId, owner, startedOn, today, funded: p.fundedOn, endOn: p.status === "active" ? today : p.since });
    rows.activities.push(...activities);
    const lastActivityOn = activities.reduce<string | null>((m, a) => (!m || a.occurredOn > m ? a.occurredOn : m), null);

    rows.projects.push({
      id: projectId,
      code: `LN-${year}-${String(n).padStart(4, "0")}`,
      name: projectName(r, investor.name, industry),
      investorId: investor.id, capitalType, unitId: unit.id, ownerId: owner.id, industry,
      isEmerging: ["new_energy", "electronics", "biomedicine", "digital_economy", "new_materials"].includes(industry) ? r.chance(0.8) : r.chance(0.1),
      sourceChannel: r.pick(SOURCE_CHANNELS),
      plannedAmount: dec(planned).toFixed(2), signedAmount: p.signedAmount, signedOn: p.signedOn,
      stage: p.stage, status: p.status, statusReason: p.statusReason, stageSince: p.since,
      originClass: deriveOriginClass({ capitalType, originRegion: investor.originRegion ?? null, ...codesFromPath(unit.path) }),
      ...p.milestones,
      lastActivityOn,
      createdBy: owner.id,
      ...createdAndUpdated(at(r, startedOn), at(r, [p.since, lastActivityOn ?? p.since].sort()[1]!)),
    });
  }
  ensureEveryStageAndStatus(createRandom(seed + 1), at, { ...rows, today });
  const targets = demoTargets(createRandom(seed + 3), { unitByCode, projectRows: rows.projects, trancheRows: rows.tranches, today });
  return { units: [...unitByCode.values()], users, investors, ...rows, targets };
}

/** Whether the next of a run is a hit: exactly every 1/share-th on average, evenly spaced from a random phase. */
function cadence(r: TRandom, share: number) {
  const phase = r.next();
  let n = 0;
  return () => {
    n++;
    return Math.floor(phase + n * share) > Math.floor(phase + (n - 1) * share);
  };
}

/** frac(phase + k·step), k = 1, 2, …: a 1-D low-discrepancy sequence (evenly spread over any run). */
function kronecker(r: TRandom, step: number) {
  const phase = r.next();
  let k = 0;
  return () => frac(phase + ++k * step);
}

/**
 * Each project's fate and size (a quantile) from low-discrepancy sequences: the fates on the
 * golden ratio (no outcome is ever more than a few projects away), and each fate's sizes on their
 * own sequence, so that the projects that get funded are of every size at an even pace too (and
 * every fifth of a city's domestic ones from Liaoning itself).
 */
function fatesAndSizes(r: TRandom) {
  const fates = kronecker(r, (Math.sqrt(5) - 1) / 2);
  const of = new Map(FATES.map(([f]) => [f, { size: kronecker(r, Math.SQRT2 - 1), fromLiaoning: cadence(r, 0.2) }]));
  return () => {
    const u = fates();
    const fate = FATES.find(([, p]) => u < p)![0];
    return { fate, size: of.get(fate)!.size(), fromLiaoning: of.get(fate)!.fromLiaoning() };
  };
}

const logQuantile = (u: number, min: number, max: number, step: number) =>
  Math.max(step, Math.round(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) / step) * step);

/**
 * One project's stage history, funds and milestones until `today`: it moves towards its fate at a
 * plausible pace; one that stops short is ended or put on hold some months later (a few drag on
 * for longer), and a project that has not got there by today is simply where it is.
 */
function pipeline(
  r: TRandom,
  at: TClock,
  o: { projectId: string; ownerId: string; startedOn: string; today: string; now: Date; fate: TStage; size: number; planned: number; isForeign: boolean; verifierId: string },
) {
  const { today } = o;
  const events: (typeof s.stageEvents.$inferInsert)[] = [];
  const tranches: (typeof s.tranches.$inferInsert)[] = [];
  // moved by ev() only
  let stage = "contact" as TStage;
  let status = "active" as TStatus;
  let since = o.startedOn;
  let signedOn: string | null = null;
  let signedAmount: string | null = null;
  let statusReason: string | null = null;
  let fundedOn: string | null = null;
  const ev = (to: [TStage, TStatus], date: string, extra: Partial<typeof s.stageEvents.$inferInsert> = {}) => {
    events.push({
      projectId: o.projectId, fromStage: events.length ? stage : null, fromStatus: events.length ? status : null, toStage: to[0], toStatus: to[1],
      businessDate: date, recordedAt: at(r, date, r.weighted([[0, 6], [1, 3], [3, 1]] as const)), actorId: o.ownerId, ...extra,
    });
    [stage, status] = to;
    since = date;
  };
  ev(["contact", "active"], o.startedOn, { note: "首次接触，投资方表达投资意向" });
  const rank = STAGES.indexOf(o.fate);

  // a few are signed at the first serious meeting (the skipped-stage flag has something to show)
  const skipToSigned = rank >= 2 && r.chance(0.05);
  let d = o.startedOn;
  if (rank >= 1 && !skipToSigned) {
    d = addDays(d, r.int(15, 60));
    if (d <= today) ev(["negotiation", "active"], d, { note: "进入实质性洽谈" });
  }
  if (rank >= 2 && d <= today) {
    d = addDays(d, r.int(30, 100));
    if (d <= today) {
      signedAmount = roundTo(dec(o.planned).times(r.int(80, 100)).div(100), 1e4).toFixed(2);
      ev(["signed", "active"], d, { note: "正式签订投资合同", signedAmount });
      signedOn = d;
    }
  }
  // funds come in as the project is built and are reported monthly — for up to two years for the
  // biggest — 55–90 % of the contract by the end; a small foreign investor pays its capital in
  // two to four instalments
  if (rank === 3 && signedOn) {
    const instalments = o.isForeign && o.planned < 15_000_000;
    const k = instalments ? 2 + Math.floor(o.size * 3 + r.next()) : 3 + Math.floor(o.size * 11 + r.next());
    const shares = Array.from({ length: k }, () => r.int(80, 120));
    const perShare = dec(signedAmount!).times(r.int(55, 90)).div(100).div(shares.reduce((a, b) => a + b, 0));
    d = addDays(signedOn, r.int(15, 60));
    for (let t = 0; t < k && d <= today; t++) {
      const amount = roundTo(perShare.times(shares[t]!), o.isForeign ? 1e3 : 1e4);
      // reported within days; a rare one weeks late (the backdated flag has something to show)
      const reportedAt = at(r, d, r.weighted([[1, 6], [3, 3], [10, 1], [45, 0.04]] as const));
      // recent reports still wait for verification; older ones were verified (a few rejected)
      const age = daysBetween(d, today);
      const verdict = r.chance(age <= 7 ? 0.5 : age <= 14 ? 0.1 : 0) ? "pending" : r.weighted([["verified", 95], ["rejected", 5]] as const);
      const verifiedAt = verdict === "pending" ? null : new Date(Math.min(reportedAt.getTime() + r.int(1, 6) * 86_400_000 + r.int(1, 7) * 3_600_000, o.now.getTime()));
      tranches.push({
        id: seededUuid(r), projectId: o.projectId, amount: amount.toFixed(2), arrivedOn: d,
        evidenceNo: `${r.pick(["YH", "JZ", "ZZ"])}${d.replace(/-/g, "")}${String(r.int(100, 999))}`,
        note: t === 0 ? "首笔资金到位" : null,
        status: verdict, reportedBy: o.ownerId, reportedAt,
        verifiedBy: verdict === "pending" ? null : o.verifierId, verifiedAt,
        rejectReason: verdict === "rejected" ? "进账单金额与申报金额不符，请核对后重新报送" : null,
      });
      if (stage === "signed") {
        ev(["funds", "active"], d, { note: "首笔资金到位", recordedAt: reportedAt });
        fundedOn = d;
      }
      d = addDays(d, instalments ? r.int(60, 120) : r.int(50, 75));
    }
  }
  // stopped short of its fate's end: ended or put on hold within the year (a few drag on longer);
  // a funded project is rarely abandoned
  const stuck = stage !== "funds" && STAGES.indexOf(stage) >= rank;
  if (stuck || (stage === "funds" && r.chance(0.02))) {
    const wait = stage === "funds" ? r.int(200, 700) : r.chance(0.1) ? r.int(300, 700) : stage === "signed" ? r.int(120, 360) : r.int(90, 330);
    const end = addDays(tranches.at(-1)?.arrivedOn ?? since, wait);
    if (end <= today) {
      const lost = r.chance(stage === "contact" ? 0.65 : 0.5);
      statusReason = lost ? r.pick(LOST_REASONS) : r.pick(HOLD_REASONS);
      ev([stage, lost ? "lost" : "on_hold"], end, { reason: statusReason, note: lost ? "项目终止" : "项目暂缓推进" });
    }
  }
  const milestones: Partial<typeof s.projects.$inferInsert> = {};
  const by = (date: string) => (date <= today ? date : null);
  // a company is registered before money can arrive in its account: every funded project is
  if (signedOn && (r.chance(0.7) || fundedOn)) milestones.registeredOn = by([addDays(signedOn, r.int(10, 60)), fundedOn ?? "9999-12-31"].sort()[0]!);
  if (milestones.registeredOn && r.chance(0.6)) milestones.constructionOn = by(addDays(milestones.registeredOn, r.int(20, 120)));
  if (milestones.constructionOn && r.chance(0.35)) milestones.productionOn = by(addDays(milestones.constructionOn, r.int(120, 360)));
  return { events, tranches, stage, status, since, signedOn, signedAmount, statusReason, fundedOn, milestones };
}

/**
 * Follow-ups from the first contact until the project ends (or today): every few weeks while it is
 * courted, every few months once funds come in. Some owners stop following a project up: those
 * are the stale ones — mostly quiet for one to six months, a handful for longer.
 */
function followUps(
  r: TRandom,
  at: TClock,
  o: { projectId: string; owner: { id: string; name: string }; startedOn: string; today: string; funded: string | null; endOn: string },
) {
  const { today } = o;
  let until = o.endOn;
  if (until === today && r.chance(0.18)) until = addDays(today, -r.weighted([[r.int(31, 90), 50], [r.int(90, 200), 32], [r.int(200, 420), 18]] as const));
  const out: (typeof s.activities.$inferInsert)[] = [];
  for (let d = addDays(o.startedOn, r.int(0, 20)); d <= until; ) {
    const funded = !!o.funded && d >= o.funded;
    const kind = r.weighted([["visit", 4], ["meeting", 4], ["call", 3], ["delegation", 1], ["event", 1], ["other", 1]] as const);
    const hasNext = !funded && r.chance(0.6);
    const due = hasNext ? addDays(d, r.int(3, 30)) : null;
    out.push({
      projectId: o.projectId, kind, occurredOn: d,
      summary: funded ? r.pick(FUNDED_SUMMARY) : r.pick(ACTIVITY_SUMMARY[kind]),
      participants: `${o.owner.name}、${personName(r)}`,
      nextStep: hasNext ? r.pick(NEXT_STEPS) : null,
      nextDueOn: due,
      // most next steps due long ago were done; a few recent ones are overdue
      nextDoneAt: due && due < addDays(today, -7) && (due < addDays(today, -45) ? r.chance(0.97) : r.chance(0.6)) ? at(r, due) : null,
      createdBy: o.owner.id,
      ...createdAndUpdated(at(r, d)),
    });
    d = addDays(d, funded ? r.int(150, 330) : r.int(15, 60));
  }
  return out;
}

/**
 * A small demo may miss a stage × on_hold/lost pair: for each one still absent, the first active
 * project of that stage (in creation order) quiet for ten days is put on hold or ended after its
 * last event, tranche or follow-up. A separate generator, so the rest of the demo data is the same
 * with or without this pass. On a rare day no tranche awaits verification: the latest one does.
 */
function ensureEveryStageAndStatus(r: TRandom, at: TClock, d: Pick<TRows, "projects" | "events" | "tranches" | "activities"> & { today: string }) {
  const lastSign = new Map<string, string>();
  const saw = (id: string, date: string) => lastSign.set(id, [lastSign.get(id) ?? date, date].sort()[1]!);
  for (const e of d.events) saw(e.projectId, e.businessDate);
  for (const t of d.tranches) saw(t.projectId, t.arrivedOn);
  for (const a of d.activities) saw(a.projectId, a.occurredOn);
  for (const stage of STAGES)
    for (const status of ["on_hold", "lost"] as const) {
      if (d.projects.some((p) => p.stage === stage && p.status === status)) continue;
      const p = d.projects.find((x) => x.stage === stage && x.status === "active" && addDays(lastSign.get(x.id!)!, 10) <= d.today);
      if (!p) continue;
      const date = [addDays(lastSign.get(p.id!)!, r.int(10, 60)), d.today].sort()[0]!;
      const reason = status === "lost" ? r.pick(LOST_REASONS) : r.pick(HOLD_REASONS);
      const recordedAt = at(r, date, 1);
      d.events.push({
        projectId: p.id!, fromStage: stage, fromStatus: "active", toStage: stage, toStatus: status, businessDate: date,
        recordedAt, actorId: p.ownerId, reason, note: status === "lost" ? "项目终止" : "项目暂缓推进",
      });
      Object.assign(p, { status, statusReason: reason, stageSince: date, updatedAt: recordedAt > p.updatedAt! ? recordedAt : p.updatedAt });
    }
  // the verification queue is never empty: on a day when no recent report is still waiting, the
  // latest one is (in practice this year's, after every lock the demo sets)
  if (d.tranches.length && !d.tranches.some((t) => t.status === "pending")) {
    const latest = d.tranches.reduce((a, b) => (b.arrivedOn > a.arrivedOn ? b : a));
    Object.assign(latest, { status: "pending", verifiedBy: null, verifiedAt: null, rejectReason: null });
  }
}

/**
 * Targets a bureau would plausibly have set: last year's were about met (they are revised during
 * the year), this year's are last year's result plus a planned growth.
 */
function demoTargets(
  r: TRandom,
  d: {
    unitByCode: Map<string, { id: string; path: string; kind: string }>;
    projectRows: (typeof s.projects.$inferInsert)[];
    trancheRows: (typeof s.tranches.$inferInsert)[];
    today: string;
  },
) {
  const projectById = new Map(d.projectRows.map((p) => [p.id!, p]));
  const pathOf = new Map([...d.unitByCode.values()].map((u) => [u.id, u.path]));
  const units = [...d.unitByCode.values()];
  const lastYear = String(Number(d.today.slice(0, 4)) - 1);
  const metrics = ["domestic_funds", "foreign_funds", "out_of_province_funds", "signed_projects"] as const;
  type TSums = Record<(typeof metrics)[number], ReturnType<typeof dec>>;
  /** Last year's results of the units under `path` (only the unit itself when `exact`). */
  const resultOf = (path: string, exact: boolean): TSums => {
    const sums: TSums = { domestic_funds: dec(0), foreign_funds: dec(0), out_of_province_funds: dec(0), signed_projects: dec(0) };
    const inUnit = (unitId: string) => (exact ? pathOf.get(unitId) === path : pathOf.get(unitId)!.startsWith(path));
    for (const t of d.trancheRows) {
      if (t.status !== "verified" || !t.arrivedOn.startsWith(lastYear)) continue;
      const p = projectById.get(t.projectId)!;
      if (!inUnit(p.unitId)) continue;
      if (p.capitalType === "foreign") sums.foreign_funds = sums.foreign_funds.plus(t.amount);
      else sums.domestic_funds = sums.domestic_funds.plus(t.amount);
      if (p.originClass === "out_of_province") sums.out_of_province_funds = sums.out_of_province_funds.plus(t.amount);
    }
    for (const p of d.projectRows) if (p.signedOn?.startsWith(lastYear) && inUnit(p.unitId)) sums.signed_projects = sums.signed_projects.plus(1);
    return sums;
  };
  // a unit with next to nothing last year still gets a modest target
  const FLOOR: TSums = { domestic_funds: dec(5e7), foreign_funds: dec(1e6), out_of_province_funds: dec(3e7), signed_projects: dec(2) };
  const targetsOf = (result: TSums) => {
    const met = Object.fromEntries(metrics.map((m) => [m, r.int(92, 108)])) as Record<(typeof metrics)[number], number>;
    const growth = r.int(102, 110);
    const of = (m: (typeof metrics)[number], v: ReturnType<typeof dec>) => (m === "signed_projects" ? atLeast(v.round(), dec(1)) : roundTarget(v));
    return {
      last: Object.fromEntries(metrics.map((m) => [m, of(m, atLeast(result[m], FLOOR[m].div(2)).times(100).div(met[m]))])) as TSums,
      current: Object.fromEntries(metrics.map((m) => [m, of(m, atLeast(result[m], FLOOR[m]).times(growth).div(100))])) as TSums,
    };
  };
  const rows: (typeof s.targets.$inferInsert)[] = [];
  const year = Number(d.today.slice(0, 4));
  const province = units.find((u) => u.kind === "province")!;
  const total = { last: {} as TSums, current: {} as TSums };
  for (const m of metrics) total.last[m] = total.current[m] = dec(0);
  // each city's targets from its own results; the province's are the cities' plus its own projects'
  for (const unit of units.filter((u) => u.kind === "city")) {
    const t = targetsOf(resultOf(unit.path, false));
    for (const m of metrics) {
      rows.push({ unitId: unit.id, year: year - 1, metric: m, value: t.last[m].toFixed(2) }, { unitId: unit.id, year, metric: m, value: t.current[m].toFixed(2) });
      total.last[m] = total.last[m].plus(t.last[m]);
      total.current[m] = total.current[m].plus(t.current[m]);
    }
  }
  const own = resultOf(province.path, true);
  for (const m of metrics) {
    const extra = m === "signed_projects" ? dec(0) : own[m];
    rows.push({ unitId: province.id, year: year - 1, metric: m, value: total.last[m].plus(extra).toFixed(2) }, { unitId: province.id, year, metric: m, value: total.current[m].plus(extra).toFixed(2) });
  }
  return rows;
}
