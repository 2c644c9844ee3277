// A data set shaped like the spec's reference case (a provincial Q1 2017 report and one city's
// January–April), with noise that must not count: pending and rejected tranches, tranches outside
// the period, a deleted project, another province's units, superseded signings and signings taken back. The raw rows are returned too, so
// tests can compute every figure independently of the SQL.
import type { Db } from "@/db/client";
import * as s from "@/db/schema";
import type { TCapitalType, TOriginClass } from "@/lib/domain";
import { dec } from "@/lib/money";
import { createRandom, seededUuid } from "@/db/seed/random";
import { insertUnit } from "./factories";

export type TRefTranche = { id: string; projectId: string; amount: string; arrivedOn: string; status: "pending" | "verified" | "rejected" };
export type TRefProject = { id: string; unitCode: string; capitalType: TCapitalType; originClass: TOriginClass; deleted: boolean; signedOn: string | null; signedAmount: string | null };

export const REF = {
  province: "210000",
  city: "210200",
  q1: { from: "2017-01-01", to: "2017-03-31" },
  janApr: { from: "2017-01-01", to: "2017-04-30" },
  targets: {
    "210000": { domestic_funds: "280000000000.00", foreign_funds: "5000000000.00", out_of_province_funds: "190000000000.00", signed_projects: "600" },
    "210200": { domestic_funds: "24040000000.00", foreign_funds: "300000000.00", out_of_province_funds: "21010000000.00", signed_projects: "120" },
    "210100": { domestic_funds: "60000000000.00", foreign_funds: "900000000.00", out_of_province_funds: "42000000000.00", signed_projects: "150" },
    // 0 is how a target is cleared: no target
    "210300": { domestic_funds: "0.00", signed_projects: "0" },
  } as Record<string, Record<string, string>>,
};

const YI = 100_000_000;

export async function seedReferenceCase(db: Db, seed = 2017) {
  const r = createRandom(seed);
  const province = await insertUnit(db, "210000", "辽宁省", "province");
  const unitByCode = new Map<string, { id: string; path: string }>([["210000", province]]);
  for (const [code, name] of [["210100", "沈阳市"], ["210200", "大连市"], ["210300", "鞍山市"], ["210600", "丹东市"], ["210800", "营口市"]] as const)
    unitByCode.set(code, await insertUnit(db, code, name, "city", province));
  unitByCode.set("DL-ZONE", await insertUnit(db, "DL-ZONE", "大连金普新区", "zone", unitByCode.get("210200")!));
  const jilin = await insertUnit(db, "220000", "吉林省", "province");
  unitByCode.set("220000", jilin);
  unitByCode.set("220100", await insertUnit(db, "220100", "长春市", "city", jilin));

  const [user] = await db.insert(s.users).values({ email: "ref@test.cn", name: "参考数据", role: "admin", unitId: province.id, passwordHash: "x" }).returning();
  const [investor] = await db
    .insert(s.investors)
    .values({ name: "参考投资有限公司", nameNormalized: "参考投资", ownerUnitId: province.id, createdBy: user!.id })
    .returning();

  const projects: TRefProject[] = [];
  const tranches: TRefTranche[] = [];
  let codeSeq = 0;

  /** `n` positive amounts (2 decimals) summing exactly to `total` yuan/dollars. */
  function split(total: number, n: number): string[] {
    const cents = BigInt(Math.round(total * 100));
    const weights = Array.from({ length: n }, () => 1 + r.next() * 4);
    const wsum = weights.reduce((a, b) => a + b, 0);
    const parts = weights.map((w) => (cents * BigInt(Math.round((w / wsum) * 1e6))) / 1_000_000n);
    const rest = cents - parts.reduce((a, b) => a + b, 0n);
    parts[0]! += rest;
    return parts.map((c) => dec(c.toString()).div(100).toFixed(2));
  }
  const dateIn = (from: string, to: string) => {
    const a = Date.parse(`${from}T00:00:00Z`);
    const b = Date.parse(`${to}T00:00:00Z`);
    return new Date(a + Math.floor(r.next() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
  };
  function project(unitCode: string, capitalType: TCapitalType, originClass: TOriginClass, extra: Partial<TRefProject> = {}): TRefProject {
    const p: TRefProject = { id: seededUuid(r), unitCode, capitalType, originClass, deleted: false, signedOn: null, signedAmount: null, ...extra };
    projects.push(p);
    return p;
  }
  const tranche = (projectId: string, amount: string, arrivedOn: string, status: TRefTranche["status"] = "verified") =>
    tranches.push({ id: seededUuid(r), projectId, amount, arrivedOn, status });

  /** `count` new projects, each with one verified tranche (some with two) in the range, summing to `total`. */
  function group(unitCodes: string[], capitalType: TCapitalType, originClasses: TOriginClass[], count: number, total: number, from: string, to: string) {
    const made: TRefProject[] = [];
    split(total, count).forEach((amount, i) => {
      const p = project(unitCodes[i % unitCodes.length]!, capitalType, originClasses[i % originClasses.length]!);
      made.push(p);
      if (r.chance(0.25)) {
        const [a, b] = split(Number(amount), 2);
        tranche(p.id, a!, dateIn(from, to));
        tranche(p.id, b!, dateIn(from, to));
      } else tranche(p.id, amount, dateIn(from, to));
    });
    return made;
  }

  const others = ["210000", "210100", "210300", "210600", "210800"];
  const otherDomesticClasses: TOriginClass[] = ["out_of_province", "local", "out_of_city", "out_of_province"];
  // --- Dalian, January–April 2017: 101 domestic projects, 54.1 亿; out-of-province 84, 49.8 亿
  const dl = ["210200", "210200", "210200", "DL-ZONE"];
  const dlOopQ1 = group(dl, "domestic", ["out_of_province"], 70, 41.0 * YI, "2017-01-01", "2017-03-31");
  group(dl, "domestic", ["local", "out_of_city"], 10, 3.0 * YI, "2017-01-01", "2017-03-31");
  group(dl, "domestic", ["out_of_province"], 14, 8.3 * YI, "2017-04-01", "2017-04-30");
  tranche(dlOopQ1[0]!.id, (0.5 * YI).toFixed(2), "2017-04-18"); // a Q1 project funded again in April: counted once
  group(dl, "domestic", ["local", "out_of_city"], 7, 1.3 * YI, "2017-04-01", "2017-04-30");
  // --- the province, Q1 2017: 458 domestic projects, 628.5 亿 (Dalian's Q1 part: 80 projects, 44.0 亿)
  group(others, "domestic", otherDomesticClasses, 378, 584.5 * YI, "2017-01-01", "2017-03-31");
  // Q1 2016 (YoY base): 596.9 亿 → +5.3 %
  group([...others, "210200", "DL-ZONE"], "domestic", otherDomesticClasses, 430, 596.9 * YI, "2016-01-01", "2016-03-31");
  // --- foreign: Q1 2017 90 projects, 11.6 亿美元; Q1 2016 8.81 亿美元 → +31.7 %
  group([...others, "210200"], "foreign", ["abroad"], 90, 11.6 * YI, "2017-01-01", "2017-03-31");
  group([...others, "210200"], "foreign", ["abroad"], 70, 8.81 * YI, "2016-01-01", "2016-03-31");
  // Dalian's own remaining 2017 funds outside Jan–Apr, and late 2016
  group(dl, "domestic", ["out_of_province"], 12, 9.9 * YI, "2017-05-01", "2017-06-30");
  group([...others, ...dl], "domestic", otherDomesticClasses, 25, 33.3 * YI, "2016-10-01", "2016-12-31");

  // --- noise that must not count
  const q1Projects = projects.filter((p) => p.capitalType === "domestic").slice(0, 60);
  for (const p of q1Projects.slice(0, 30)) tranche(p.id, (r.int(1, 90) * 1e6).toFixed(2), dateIn("2017-01-01", "2017-04-30"), "pending");
  for (const p of q1Projects.slice(30, 40)) tranche(p.id, (r.int(1, 90) * 1e6).toFixed(2), dateIn("2017-01-01", "2017-04-30"), "rejected");
  const pendingOnly = project("210100", "domestic", "out_of_province");
  tranche(pendingOnly.id, (3 * YI).toFixed(2), "2017-02-14", "pending");
  const deleted = project("210200", "domestic", "out_of_province", { deleted: true });
  tranche(deleted.id, (7 * YI).toFixed(2), "2017-02-20");
  for (let i = 0; i < 20; i++) {
    const p = project(i % 2 ? "220000" : "220100", i % 3 ? "domestic" : "foreign", i % 3 ? "out_of_province" : "abroad");
    tranche(p.id, (r.int(1, 50) * 1e6).toFixed(2), dateIn("2017-01-01", "2017-04-30"));
    tranche(p.id, (r.int(1, 50) * 1e6).toFixed(2), dateIn("2016-01-01", "2016-03-31"));
  }

  // --- signings: some projects signed in 2017 (and a few in 2016)
  for (const p of projects) {
    if (!r.chance(0.3)) continue;
    p.signedOn = r.chance(0.7) ? dateIn("2017-01-01", "2017-06-30") : dateIn("2016-01-01", "2016-12-31");
    p.signedAmount = (r.int(10, 900) * 1e6).toFixed(2);
  }

  // --- signings that changed (the figures read the signing in force from the stage events):
  // some signings were first recorded with another date and amount and then corrected, some
  // projects were signed and then taken back before `signed`
  const corrected = projects.filter((p) => p.signedOn && !p.deleted).slice(0, 25).map((p) => p.id);
  const takenBack = projects.filter((p) => !p.signedOn && !p.deleted).slice(0, 15).map((p) => p.id);
  const takenBackOn = new Map(takenBack.map((id) => [id, dateIn("2017-01-01", "2017-04-30")]));

  // --- write the rows
  const now = new Date("2017-07-15T08:00:00Z");
  const projectRows = projects.map((p) => ({
    id: p.id,
    code: `REF-${String(++codeSeq).padStart(5, "0")}`,
    name: `参考项目${codeSeq}`,
    investorId: investor!.id,
    capitalType: p.capitalType,
    unitId: unitByCode.get(p.unitCode)!.id,
    industry: "advanced_manufacturing",
    sourceChannel: "exhibition" as const,
    plannedAmount: "500000000.00",
    stage: p.signedOn ? ("funds" as const) : ("negotiation" as const),
    status: "active" as const,
    stageSince: "2016-01-01",
    // a row left saying "signed" although its events took the signing back: the events decide
    signedOn: p.signedOn ?? takenBackOn.get(p.id) ?? null,
    signedAmount: p.signedAmount ?? (takenBackOn.has(p.id) ? "1.00" : null),
    originClass: p.originClass,
    deletedAt: p.deleted ? now : null,
    createdAt: new Date("2015-12-01T00:00:00Z"),
  }));
  for (let i = 0; i < projectRows.length; i += 500) await db.insert(s.projects).values(projectRows.slice(i, i + 500));
  const signing = (projectId: string, on: string, amount: string, recordedAt: Date) => ({
    projectId, fromStage: "negotiation" as const, toStage: "signed" as const, fromStatus: "active" as const, toStatus: "active" as const,
    businessDate: on, signedAmount: amount, recordedAt, actorId: user!.id,
  });
  const events: (typeof s.stageEvents.$inferInsert)[] = projects
    .filter((p) => p.signedOn)
    .map((p) => signing(p.id, p.signedOn!, p.signedAmount!, new Date(`${p.signedOn}T10:00:00+08:00`)));
  for (const id of corrected) {
    const p = projects.find((x) => x.id === id)!;
    const first = new Date(Date.parse(`${p.signedOn}T10:00:00+08:00`) - 2 * 86_400_000);
    events.push(signing(id, dateIn("2016-11-01", "2017-06-30"), (r.int(10, 900) * 1e6).toFixed(2), first));
  }
  for (const id of takenBack) {
    const on = takenBackOn.get(id)!;
    events.push(signing(id, on, (r.int(10, 900) * 1e6).toFixed(2), new Date(`${on}T10:00:00+08:00`)));
    events.push({ projectId: id, fromStage: "signed", toStage: "negotiation", fromStatus: "active", toStatus: "active", businessDate: on, reason: "合同未生效", recordedAt: new Date(`${on}T16:00:00+08:00`), actorId: user!.id });
  }
  for (let i = 0; i < events.length; i += 500) await db.insert(s.stageEvents).values(events.slice(i, i + 500));
  const trancheRows = tranches.map((t) => {
    const reportedAt = new Date(`${t.arrivedOn}T12:00:00+08:00`);
    return {
      id: t.id, projectId: t.projectId, amount: t.amount, arrivedOn: t.arrivedOn, status: t.status, reportedBy: user!.id, reportedAt,
      verifiedBy: t.status === "pending" ? null : user!.id,
      verifiedAt: t.status === "pending" ? null : new Date(reportedAt.getTime() + 3 * 86_400_000),
      rejectReason: t.status === "rejected" ? "凭证不符" : null,
    };
  });
  for (let i = 0; i < trancheRows.length; i += 500) await db.insert(s.tranches).values(trancheRows.slice(i, i + 500));
  const targetRows = Object.entries(REF.targets).flatMap(([code, m]) =>
    Object.entries(m).map(([metric, value]) => ({ unitId: unitByCode.get(code)!.id, year: 2017, metric: metric as "domestic_funds", value })),
  );
  await db.insert(s.targets).values(targetRows);

  return { projects, tranches, unitByCode, userId: user!.id };
}
