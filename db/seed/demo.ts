// Deterministic demo data: Liaoning's unit tree, users of every role, and a few hundred projects
// over two years in every stage and status, with investors, contacts, stage histories, funds
// tranches (verified, pending, rejected), activities and annual targets.
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

const DOMESTIC_ORIGINS: ReadonlyArray<readonly [string, number]> = [
  ["320000", 12], ["330000", 10], ["440000", 12], ["110000", 10], ["310000", 9], ["370000", 7], ["120000", 3],
  ["130000", 2], ["340000", 2], ["350000", 3], ["420000", 2], ["510000", 2], ["610000", 1], ["220000", 2], ["230000", 1],
  ["210100", 8], ["210200", 8], ["210300", 2], ["210800", 2], ["211100", 2],
];

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
const NEXT_STEPS = ["报送项目用地需求", "安排投资方实地考察", "起草投资合作协议", "协调能评、环评手续", "组织项目评审会", "跟进首笔资金到位"];

type TSeedOptions = { password: string; seed?: number; projects?: number; today?: string };

export async function isDatabaseEmpty(db: Db) {
  const [u] = await db.select({ n: count() }).from(s.units);
  return (u?.n ?? 0) === 0;
}

let seedNow = new Date();

function timeOn(r: TRandom, date: string, lagDays = 0) {
  // a working-hours moment on `date` (+ lag) in China time, as a UTC instant — never in the future
  const d = addDays(date, lagDays);
  const hour = r.int(9, 17);
  const t = new Date(Date.parse(`${d}T${String(hour).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}:00+08:00`));
  return t > seedNow ? new Date(seedNow.getTime() - r.int(5, 600) * 60_000) : t;
}

const roundTo = (v: ReturnType<typeof dec>, step: number) => v.div(step).round().times(step);

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedDemo(db: Db, opts: TSeedOptions) {
  const r = createRandom(opts.seed ?? 20260101);
  const today = opts.today ?? todayCN();
  seedNow = opts.today ? new Date(`${opts.today}T20:00:00+08:00`) : new Date();
  const nProjects = opts.projects ?? 480;
  // DEMO_PASSWORD and `db seed --password` set real sign-ins: the policy of every other password
  const weak = passwordPolicyProblem(opts.password);
  if (weak) throw invalid({ password: weak });
  const passwordHash = await hashPassword(opts.password);

  const summary = await db.transaction(async (tx) => {
    // units
    const unitByCode = new Map<string, typeof s.units.$inferSelect>();
    for (const u of LIAONING_UNITS) {
      const parent = u.parent ? unitByCode.get(u.parent)! : null;
      const [row] = await tx
        .insert(s.units)
        .values({ id: seededUuid(r), code: u.code, name: u.name, kind: u.kind, parentId: parent?.id ?? null, path: `${parent?.path ?? ""}${u.code}/` })
        .returning();
      unitByCode.set(u.code, row!);
    }
    const cities = LIAONING_UNITS.filter((u) => u.kind === "city").map((u) => u.code);
    const childrenOf = (city: string) => LIAONING_UNITS.filter((u) => u.parent === city).map((u) => u.code);

    // users: the demo logins, then a leader and staff for every city
    const userRows: (typeof s.users.$inferInsert)[] = DEMO_LOGINS.map((u) => ({
      id: seededUuid(r), email: u.email, name: u.name, role: u.role, unitId: unitByCode.get(u.unit)!.id, passwordHash,
    }));
    for (const city of cities) {
      const abbr = CITY_ABBR[city]!;
      if (!userRows.some((u) => u.email === `leader.${abbr}@zs.example`))
        userRows.push({ id: seededUuid(r), email: `leader.${abbr}@zs.example`, name: personName(r), role: "leader", unitId: unitByCode.get(city)!.id, passwordHash });
      for (let i = 2; i <= (CITY_WEIGHT[city]! >= 8 ? 3 : 2); i++)
        userRows.push({ id: seededUuid(r), email: `staff${i}.${abbr}@zs.example`, name: personName(r), role: "staff", unitId: unitByCode.get(city)!.id, passwordHash });
      for (const child of childrenOf(city))
        userRows.push({ id: seededUuid(r), email: `staff.${child.toLowerCase()}@zs.example`, name: personName(r), role: "staff", unitId: unitByCode.get(child)!.id, passwordHash });
    }
    userRows.push({ id: seededUuid(r), email: "staff.ln@zs.example", name: personName(r), role: "staff", unitId: unitByCode.get("210000")!.id, passwordHash });
    const users = await tx.insert(s.users).values(userRows).returning();
    const staffOf = (unitId: string) => users.filter((u) => u.role === "staff" && u.unitId === unitId);
    const leaderOf = (cityCode: string) =>
      users.find((u) => u.role === "leader" && u.unitId === unitByCode.get(cityCode)!.id) ?? users.find((u) => u.email === "leader@zs.example")!;

    // investors are created with their projects (a few invest in several cities)
    const investors: (typeof s.investors.$inferSelect)[] = [];
    const contactsRows: (typeof s.contacts.$inferInsert)[] = [];
    const projectRows: (typeof s.projects.$inferInsert)[] = [];
    const eventRows: (typeof s.stageEvents.$inferInsert)[] = [];
    const trancheRows: (typeof s.tranches.$inferInsert)[] = [];
    const activityRows: (typeof s.activities.$inferInsert)[] = [];
    const codeSeq = new Map<number, number>();
    const usedNames = new Set<string>();

    const start = "2024-04-01";
    const span = daysBetween(start, addDays(today, -10));

    for (let i = 0; i < nProjects; i++) {
      const city = r.weighted(Object.entries(CITY_WEIGHT));
      const kids = childrenOf(city);
      const unitCode = kids.length && r.chance(0.35) ? r.pick(kids) : city;
      const unit = unitByCode.get(unitCode)!;
      const owner = r.pick(staffOf(unit.id).length ? staffOf(unit.id) : staffOf(unitByCode.get(city)!.id));
      const capitalType = r.chance(0.18) ? "foreign" : "domestic";
      const industry: TIndustry = r.pick(INDUSTRIES.filter((x) => x !== "other"));

      let investor = investors.length > 20 && r.chance(0.15) ? r.pick(investors.filter((v) => (v.originCountry ? "foreign" : "domestic") === capitalType) ) : undefined;
      if (!investor) {
        const origin = capitalType === "foreign" ? r.weighted(FOREIGN_ORIGINS) : r.weighted(DOMESTIC_ORIGINS);
        let name = capitalType === "foreign" ? foreignInvestorName(r, origin, industry) : domesticInvestorName(r, origin, industry);
        while (usedNames.has(normalizeInvestorName(name))) name = capitalType === "foreign" ? foreignInvestorName(r, origin, industry) : domesticInvestorName(r, origin, industry);
        usedNames.add(normalizeInvestorName(name));
        const [row] = await tx
          .insert(s.investors)
          .values({
            id: seededUuid(r),
            name,
            nameNormalized: normalizeInvestorName(name),
            creditCode: capitalType === "domestic" && r.chance(0.7) ? creditCode(r, origin.slice(0, 2) === "21" ? origin : `${origin.slice(0, 2)}0100`) : null,
            originRegion: capitalType === "domestic" ? origin : null,
            originCountry: capitalType === "foreign" ? origin : null,
            ownerUnitId: unit.id,
            createdBy: owner.id,
          })
          .returning();
        investor = row!;
        investors.push(investor);
        for (let c = 0; c < r.int(1, 2); c++)
          contactsRows.push({
            investorId: investor.id,
            name: personName(r),
            title: r.pick(["董事长", "总经理", "投资总监", "副总裁", "项目经理", "战略发展部部长"]),
            phone: `1${r.pick(["39", "38", "86", "58", "35"])}${String(r.int(0, 99999999)).padStart(8, "0")}`,
            email: null,
            ownerUnitId: unit.id,
          });
      }
      const isForeign = capitalType === "foreign";
      const planned = isForeign ? r.logUniform(300_000, 200_000_000, 10_000) : r.logUniform(3_000_000, 3_000_000_000, 100_000);

      // timeline
      const startedOn = addDays(start, r.int(0, span));
      const year = Number(startedOn.slice(0, 4));
      const n = (codeSeq.get(year) ?? 0) + 1;
      codeSeq.set(year, n);
      const projectId = seededUuid(r);
      const events: (typeof s.stageEvents.$inferInsert)[] = [];
      const ev = (from: [TStage, TStatus] | null, to: [TStage, TStatus], date: string, extra: Partial<typeof s.stageEvents.$inferInsert> = {}) =>
        events.push({
          projectId, fromStage: from?.[0] ?? null, fromStatus: from?.[1] ?? null, toStage: to[0], toStatus: to[1],
          businessDate: date, recordedAt: timeOn(r, date, r.weighted([[0, 6], [1, 3], [3, 1]] as const)), actorId: owner.id, ...extra,
        });
      let stage: TStage = "contact";
      let status: TStatus = "active";
      let since = startedOn;
      let signedOn: string | null = null;
      let signedAmount: string | null = null;
      let statusReason: string | null = null;
      ev(null, ["contact", "active"], startedOn, { note: "首次接触，投资方表达投资意向" });
      let cursor = startedOn;
      const step = (min: number, max: number) => addDays(cursor, r.int(min, max));

      const skipToSigned = r.chance(0.05);
      if (!skipToSigned && r.chance(0.72)) {
        const d = step(10, 80);
        if (d <= today) {
          ev([stage, status], ["negotiation", "active"], d, { note: "进入实质性洽谈" });
          stage = "negotiation"; since = d; cursor = d;
        }
      }
      if ((stage === "negotiation" && r.chance(0.62)) || skipToSigned) {
        const d = step(20, 140);
        if (d <= today) {
          signedAmount = roundTo(dec(planned).times(r.int(80, 100)).div(100), 1e4).toFixed(2);
          ev([stage, status], ["signed", "active"], d, { note: "正式签订投资合同", signedAmount });
          stage = "signed"; since = d; cursor = d; signedOn = d;
        }
      }
      // funds: tranches over time
      let verifiedSum = dec(0);
      if (stage === "signed" && r.chance(0.72)) {
        let d = step(15, 120);
        const target = dec(signedAmount!).times(r.int(15, 95)).div(100);
        const k = r.int(1, 4);
        for (let t = 0; t < k && d <= today; t++) {
          const amount = roundTo(t === k - 1 ? target.minus(verifiedSum) : target.div(k).times(r.int(70, 130)).div(100), isForeign ? 1e3 : 1e4).abs();
          if (amount.lte(0)) break;
          const reportedAt = timeOn(r, d, r.weighted([[1, 5], [3, 3], [10, 1], [45, 0.3]] as const));
          const ageDays = daysBetween(d, today);
          // recent reports still wait for verification; older ones were verified (a few rejected)
          const verdict = ageDays < 20 && r.chance(0.7) ? "pending" : r.weighted([["verified", 95], ["rejected", 5]] as const);
          const verifier = leaderOf(city);
          const verifiedAt = verdict === "pending" ? null : new Date(Math.min(reportedAt.getTime() + r.int(1, 6) * 86_400_000 + r.int(1, 7) * 3_600_000, seedNow.getTime()));
          trancheRows.push({
            id: seededUuid(r), projectId, amount: amount.toFixed(2), arrivedOn: d,
            evidenceNo: `${r.pick(["YH", "JZ", "ZZ"])}${d.replace(/-/g, "")}${String(r.int(100, 999))}`,
            note: t === 0 ? "首笔资金到位" : null,
            status: verdict, reportedBy: owner.id, reportedAt,
            verifiedBy: verdict === "pending" ? null : verifier.id, verifiedAt,
            rejectReason: verdict === "rejected" ? "进账单金额与申报金额不符，请核对后重新报送" : null,
          });
          if (stage === "signed") {
            ev([stage, status], ["funds", "active"], d, { note: "首笔资金到位", recordedAt: reportedAt });
            stage = "funds"; since = d;
          }
          if (verdict === "verified") verifiedSum = verifiedSum.plus(amount);
          cursor = d;
          d = step(20, 150);
        }
      }
      // on hold / lost
      if (stage !== "funds" && r.chance(0.14)) {
        const d = step(10, 90);
        if (d <= today) {
          const lost = r.chance(0.55);
          statusReason = lost ? r.pick(LOST_REASONS) : r.pick(HOLD_REASONS);
          ev([stage, status], [stage, lost ? "lost" : "on_hold"], d, { reason: statusReason, note: lost ? "项目终止" : "项目暂缓推进" });
          status = lost ? "lost" : "on_hold"; cursor = d;
        }
      }
      const milestones: Partial<typeof s.projects.$inferInsert> = {};
      if (signedOn) {
        if (r.chance(0.7)) milestones.registeredOn = addDays(signedOn, r.int(10, 60)) <= today ? addDays(signedOn, r.int(10, 60)) : null;
        if (milestones.registeredOn && r.chance(0.6)) {
          const c = addDays(milestones.registeredOn, r.int(20, 120));
          milestones.constructionOn = c <= today ? c : null;
        }
        if (milestones.constructionOn && r.chance(0.35)) {
          const p = addDays(milestones.constructionOn, r.int(120, 360));
          milestones.productionOn = p <= today ? p : null;
        }
      }

      // activities: active projects are mostly followed up recently, the rest go stale
      let lastActivity: string | null = null;
      const nAct = r.int(0, status === "active" ? 6 : 2);
      for (let a = 0; a < nAct; a++) {
        const recent = status === "active" && a === nAct - 1 && r.chance(0.6);
        const occurredOn = recent ? addDays(today, -r.int(0, 25)) : addDays(startedOn, r.int(0, Math.max(0, daysBetween(startedOn, today))));
        const kind = r.weighted([["visit", 4], ["meeting", 4], ["call", 3], ["delegation", 1], ["event", 1], ["other", 1]] as const);
        const hasNext = r.chance(0.6);
        const due = hasNext ? addDays(occurredOn, r.int(3, 30)) : null;
        activityRows.push({
          projectId, kind, occurredOn,
          summary: r.pick(ACTIVITY_SUMMARY[kind]),
          participants: `${owner.name}、${personName(r)}`,
          nextStep: hasNext ? r.pick(NEXT_STEPS) : null,
          nextDueOn: due,
          // most next steps due long ago were done; a few recent ones are overdue
          nextDoneAt: due && due < addDays(today, -7) && (due < addDays(today, -45) ? r.chance(0.97) : r.chance(0.6)) ? timeOn(r, due) : null,
          createdBy: owner.id,
          createdAt: timeOn(r, occurredOn), updatedAt: timeOn(r, occurredOn),
        });
        if (!lastActivity || occurredOn > lastActivity) lastActivity = occurredOn;
      }

      const originClass = deriveOriginClass({ capitalType, originRegion: investor.originRegion, ...codesFromPath(unit.path) });
      projectRows.push({
        id: projectId,
        code: `LN-${year}-${String(n).padStart(4, "0")}`,
        name: projectName(r, investor.name, industry),
        investorId: investor.id, capitalType, unitId: unit.id, ownerId: owner.id, industry,
        isEmerging: ["new_energy", "electronics", "biomedicine", "digital_economy", "new_materials"].includes(industry) ? r.chance(0.8) : r.chance(0.1),
        sourceChannel: r.pick(SOURCE_CHANNELS),
        plannedAmount: dec(planned).toFixed(2), signedAmount, signedOn,
        stage, status, statusReason, stageSince: since, originClass,
        ...milestones,
        lastActivityOn: lastActivity,
        createdBy: owner.id,
        createdAt: timeOn(r, startedOn), updatedAt: timeOn(r, cursor),
      });
      eventRows.push(...events);
    }
    ensureEveryStageAndStatus(createRandom((opts.seed ?? 20260101) + 1), { projectRows, eventRows, today });

    await insertChunked(contactsRows, (c) => tx.insert(s.contacts).values(c));
    await insertChunked(projectRows, (c) => tx.insert(s.projects).values(c));
    await insertChunked(eventRows, (c) => tx.insert(s.stageEvents).values(c));
    await insertChunked(trancheRows, (c) => tx.insert(s.tranches).values(c));
    await insertChunked(activityRows, (c) => tx.insert(s.activities).values(c));
    await seedTargets(tx, r, { unitByCode, projectRows, trancheRows, today });
    await tx.insert(s.auditLog).values({
      actorId: null, action: "demo.seed", entityType: "installation", entityId: "demo",
      after: { seed: opts.seed ?? 20260101, projects: projectRows.length, tranches: trancheRows.length, users: users.length },
    });
    return { users: users.length, projects: projectRows.length, tranches: trancheRows.length, investors: investors.length, activities: activityRows.length };
  });

  // last year was reported: its quarters are locked province-wide (ten days after each quarter),
  // and the provincial leader published the year's figures
  const [leaderRow] = await db.select({ id: s.users.id, sv: s.users.sessionVersion }).from(s.users).where(eq(s.users.email, "leader@zs.example"));
  const leader = await loadActor(db, leaderRow!.id, leaderRow!.sv);
  const lastYear = Number(today.slice(0, 4)) - 1;
  for (const n of [1, 2, 3, 4]) {
    const end = quarterPeriod(lastYear, n).to;
    await lockPeriod(db, leader!, { unit: "210000", kind: "quarter", year: lastYear, n }, timeOn(r, addDays(end, 10)));
  }
  await publishFigures(db, leader!, { unit: "210000", from: `${lastYear}-01-01`, to: `${lastYear}-12-31` });
  return summary;
}

/**
 * The random pipeline rarely parks a funded project, and a small seed may miss other pairs too:
 * for each stage × on_hold/lost pair still absent, the first active project of that stage (in
 * creation order) is put on hold or ended after its last event. A separate generator, so the rest
 * of the demo data is the same with or without this pass.
 */
function ensureEveryStageAndStatus(
  r: TRandom,
  d: { projectRows: (typeof s.projects.$inferInsert)[]; eventRows: (typeof s.stageEvents.$inferInsert)[]; today: string },
) {
  for (const stage of STAGES)
    for (const status of ["on_hold", "lost"] as const) {
      if (d.projectRows.some((p) => p.stage === stage && p.status === status)) continue;
      const lastEvent = (id: string) => d.eventRows.filter((e) => e.projectId === id).reduce((m, e) => (e.businessDate > m ? e.businessDate : m), "");
      const p = d.projectRows.find((x) => x.stage === stage && x.status === "active" && addDays(lastEvent(x.id!), 10) <= d.today);
      if (!p) continue;
      const date = [addDays(lastEvent(p.id!), r.int(10, 60)), d.today].sort()[0]!;
      const reason = status === "lost" ? r.pick(LOST_REASONS) : r.pick(HOLD_REASONS);
      const owner = d.eventRows.find((e) => e.projectId === p.id)!.actorId;
      d.eventRows.push({
        projectId: p.id!, fromStage: stage, fromStatus: "active", toStage: stage, toStatus: status, businessDate: date,
        recordedAt: timeOn(r, date, 1), actorId: owner, reason, note: status === "lost" ? "项目终止" : "项目暂缓推进",
      });
      Object.assign(p, { status, statusReason: reason, updatedAt: timeOn(r, date, 1) });
    }
}

/** Targets a bureau would plausibly have set: this year's pace grossed up, rounded to 亿/千万. */
async function seedTargets(
  tx: Db,
  r: TRandom,
  d: {
    unitByCode: Map<string, typeof s.units.$inferSelect>;
    projectRows: (typeof s.projects.$inferInsert)[];
    trancheRows: (typeof s.tranches.$inferInsert)[];
    today: string;
  },
) {
  const projectById = new Map(d.projectRows.map((p) => [p.id!, p]));
  const pathOf = new Map([...d.unitByCode.values()].map((u) => [u.id, u.path]));
  const targetUnits = [...d.unitByCode.values()].filter((u) => u.kind === "province" || u.kind === "city");
  const rows: (typeof s.targets.$inferInsert)[] = [];
  const currentYear = Number(d.today.slice(0, 4));
  const metrics = ["domestic_funds", "foreign_funds", "out_of_province_funds", "signed_projects"] as const;
  for (const year of [currentYear - 1, currentYear]) {
    const elapsed = year < currentYear ? 1 : Math.max(0.1, daysBetween(`${year}-01-01`, d.today) / 365);
    const pace = (path: string, exact: boolean) => {
      const sums = { domestic: dec(0), foreign: dec(0), oop: dec(0), signed: 0 };
      const inUnit = (unitId: string) => (exact ? pathOf.get(unitId) === path : pathOf.get(unitId)!.startsWith(path));
      for (const t of d.trancheRows) {
        if (t.status !== "verified" || !t.arrivedOn.startsWith(String(year))) continue;
        const p = projectById.get(t.projectId)!;
        if (!inUnit(p.unitId)) continue;
        if (p.capitalType === "foreign") sums.foreign = sums.foreign.plus(t.amount);
        else sums.domestic = sums.domestic.plus(t.amount);
        if (p.originClass === "out_of_province") sums.oop = sums.oop.plus(t.amount);
      }
      for (const p of d.projectRows) if (p.signedOn?.startsWith(String(year)) && inUnit(p.unitId)) sums.signed++;
      const gross = (v: ReturnType<typeof dec>, round: number) => roundTo(v.div(elapsed).times(r.int(95, 130)).div(100), round);
      return {
        domestic_funds: gross(sums.domestic.plus(1e8), 1e7),
        foreign_funds: gross(sums.foreign.plus(1e6), 1e6),
        out_of_province_funds: gross(sums.oop.plus(5e7), 1e7),
        signed_projects: dec(Math.max(2, Math.round((sums.signed / elapsed) * (r.int(100, 125) / 100)))),
      };
    };
    // each city's target from its own pace; the province's is the cities' sum plus its own projects'
    const province = targetUnits.find((u) => u.kind === "province")!;
    const total = Object.fromEntries(metrics.map((m) => [m, dec(0)])) as Record<(typeof metrics)[number], ReturnType<typeof dec>>;
    for (const unit of targetUnits.filter((u) => u.kind === "city")) {
      const v = pace(unit.path, false);
      for (const m of metrics) {
        rows.push({ unitId: unit.id, year, metric: m, value: v[m].toFixed(2) });
        total[m] = total[m].plus(v[m]);
      }
    }
    const own = pace(province.path, true);
    for (const m of metrics) rows.push({ unitId: province.id, year, metric: m, value: total[m].plus(m === "signed_projects" ? 0 : own[m]).toFixed(2) });
  }
  await tx.insert(s.targets).values(rows);
}
