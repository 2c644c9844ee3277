import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TTestDb } from "@/db/testing/test-db";
import { REF, seedReferenceCase } from "@/db/testing/reference-case";
import Decimal from "decimal.js";
import { previousYear, yearToEnd, type TPeriod } from "@/lib/periods";
import { SYSTEM_ACTOR } from "@/server/auth/actor";
import { computeHeadline, headlineJson, type TUnitFigures } from "@/server/figures/headline";

let t: TTestDb;
let ref: Awaited<ReturnType<typeof seedReferenceCase>>;
beforeAll(async () => {
  t = await createTestDb();
  ref = await seedReferenceCase(t.db);
}, 120_000);
afterAll(() => t?.close());

// The percentages written out again from the spec, on exact decimals: (a − b) / b × 100 and
// a / b × 100, half-up to one decimal, null on a zero base — not the service's own helpers.
const D = Decimal.clone({ precision: 60 });
const dec = (v: Decimal.Value) => new D(v);
const oneDecimal = (x: Decimal) => x.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1);
const yoy = (cur: Decimal.Value, prev: Decimal.Value) => (dec(prev).isZero() ? null : oneDecimal(dec(cur).minus(prev).times(100).div(prev)));
const share = (part: Decimal.Value, whole: Decimal.Value) => (dec(whole).isZero() ? null : oneDecimal(dec(part).times(100).div(whole)));

/** The figures of one unit subtree computed from the raw rows, without SQL. */
function independent(rootCode: string, p: TPeriod) {
  const root = ref.unitByCode.get(rootCode)!;
  const inScope = new Set([...ref.unitByCode.entries()].filter(([, u]) => u.path.startsWith(root.path)).map(([c]) => c));
  const live = new Map(ref.projects.filter((x) => !x.deleted && inScope.has(x.unitCode)).map((x) => [x.id, x]));
  const figure = (q: TPeriod, pred: (x: (typeof ref.projects)[number]) => boolean) => {
    const ts = ref.tranches.filter((tr) => tr.status === "verified" && tr.arrivedOn >= q.from && tr.arrivedOn <= q.to && live.has(tr.projectId) && pred(live.get(tr.projectId)!));
    return { projects: new Set(ts.map((x) => x.projectId)).size, funds: ts.reduce((s, x) => s.plus(x.amount), dec(0)).toFixed(2) };
  };
  const target = (metric: string) => {
    const v = REF.targets[rootCode]?.[metric];
    return v && !dec(v).isZero() ? v : null; // 0 = no target
  };
  const blockOf = (pred: (x: (typeof ref.projects)[number]) => boolean, metric: string) => {
    const cur = figure(p, pred);
    const prev = figure(previousYear(p), pred);
    const ytd = figure(yearToEnd(p), pred);
    const tgt = target(metric);
    return {
      projects: cur.projects,
      funds: cur.funds,
      projects_yoy_pct: yoy(cur.projects, prev.projects),
      funds_yoy_pct: yoy(cur.funds, prev.funds),
      target: tgt ? dec(tgt).toFixed(2) : null,
      target_progress_pct: tgt ? share(ytd.funds, tgt) : null,
    };
  };
  const signedIn = [...live.values()].filter((x) => x.signedOn && x.signedOn >= p.from && x.signedOn <= p.to);
  const signedYtd = [...live.values()].filter((x) => x.signedOn && x.signedOn >= yearToEnd(p).from && x.signedOn <= p.to);
  const signedTarget = target("signed_projects");
  const pending = ref.tranches.filter((tr) => tr.status === "pending" && tr.arrivedOn >= p.from && tr.arrivedOn <= p.to && live.has(tr.projectId));
  const sum = (xs: string[]) => xs.reduce((s, v) => s.plus(v), dec(0)).toFixed(2);
  const rate = (ps: typeof signedIn) =>
    share(sum(ref.tranches.filter((tr) => tr.status === "verified" && ps.some((x) => x.id === tr.projectId)).map((tr) => tr.amount)), sum(ps.map((x) => x.signedAmount!)));
  return {
    domestic: blockOf((x) => x.capitalType === "domestic", "domestic_funds"),
    foreign: blockOf((x) => x.capitalType === "foreign", "foreign_funds"),
    out_of_province: blockOf((x) => x.capitalType === "domestic" && x.originClass === "out_of_province", "out_of_province_funds"),
    signed: {
      projects: signedIn.length,
      target: signedTarget ? dec(signedTarget).toFixed(0) : null,
      target_progress_pct: signedTarget ? share(signedYtd.length, signedTarget) : null,
      domestic_amount: sum(signedIn.filter((x) => x.capitalType === "domestic").map((x) => x.signedAmount!)),
      foreign_amount: sum(signedIn.filter((x) => x.capitalType === "foreign").map((x) => x.signedAmount!)),
      // 资金到位率: all verified funds to date of the projects signed in the period / their signed amount
      domestic_funds_rate_pct: rate(signedIn.filter((x) => x.capitalType === "domestic")),
      foreign_funds_rate_pct: rate(signedIn.filter((x) => x.capitalType === "foreign")),
    },
    pending: {
      tranches: pending.length,
      domestic_amount: sum(pending.filter((x) => live.get(x.projectId)!.capitalType === "domestic").map((x) => x.amount)),
      foreign_amount: sum(pending.filter((x) => live.get(x.projectId)!.capitalType === "foreign").map((x) => x.amount)),
    },
  };
}

const pick = (f: TUnitFigures) => {
  const b = (x: TUnitFigures["domestic"]) => ({
    projects: x.projects, funds: x.funds, projects_yoy_pct: x.projects_yoy_pct, funds_yoy_pct: x.funds_yoy_pct, target: x.target, target_progress_pct: x.target_progress_pct,
  });
  return {
    domestic: b(f.domestic),
    foreign: b(f.foreign),
    out_of_province: b(f.out_of_province),
    signed: {
      projects: f.signed.projects,
      target: f.signed.target,
      target_progress_pct: f.signed.target_progress_pct,
      domestic_amount: f.signed.domestic_amount,
      foreign_amount: f.signed.foreign_amount,
      domestic_funds_rate_pct: f.signed.domestic_funds_rate_pct,
      foreign_funds_rate_pct: f.signed.foreign_funds_rate_pct,
    },
    pending: f.pending,
  };
};

describe(`headline figures — the spec's reference case (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("province, Q1 2017: 458 domestic projects, 628.5 亿元 (+5.3 %); 90 foreign, 11.6 亿美元 (+31.7 %)", async () => {
    const h = await computeHeadline(t.db, SYSTEM_ACTOR, { unit: REF.province, ...REF.q1 });
    expect(h.domestic.projects).toBe(458);
    expect(h.domestic.funds).toBe("62850000000.00");
    expect(h.domestic.funds_yoy_pct).toBe("5.3");
    expect(h.foreign.projects).toBe(90);
    expect(h.foreign.funds).toBe("1160000000.00");
    expect(h.foreign.funds_yoy_pct).toBe("31.7");
    expect(h.domestic.currency).toBe("CNY");
    expect(h.foreign.currency).toBe("USD");
  });

  it("the city, January–April 2017: 101 projects, 54.1 亿元 = 22.5 % of target; out-of-province 84, 49.8 亿元 = 23.7 %", async () => {
    const h = await computeHeadline(t.db, SYSTEM_ACTOR, { unit: REF.city, ...REF.janApr });
    expect(h.domestic.projects).toBe(101);
    expect(h.domestic.funds).toBe("5410000000.00");
    expect(h.domestic.target_progress_pct).toBe("22.5");
    expect(h.out_of_province.projects).toBe(84);
    expect(h.out_of_province.funds).toBe("4980000000.00");
    expect(h.out_of_province.target_progress_pct).toBe("23.7");
    // 30 April is day 120 of 365: 32.9 % of the year has elapsed → 10.4 points behind schedule
    expect(h.schedule_pct).toBe("32.9");
    expect(h.domestic.ahead_pct).toBe("-10.4");
  });

  for (const [label, unit, period] of [
    ["province Q1", REF.province, REF.q1],
    ["province Jan–Apr", REF.province, REF.janApr],
    ["city Jan–Apr", REF.city, REF.janApr],
    ["province 2017 H1", REF.province, { from: "2017-01-01", to: "2017-06-30" }],
  ] as const) {
    it(`${label}: every figure and every child unit equals an independent computation from the raw rows`, async () => {
      const h = await computeHeadline(t.db, SYSTEM_ACTOR, { unit, ...period });
      expect(pick(h)).toEqual(independent(unit, period));
      for (const child of h.children) expect({ unit: child.unit, ...pick(child) }).toEqual({ unit: child.unit, ...independent(child.unit, period) });
      // the children add up to the parent (minus the parent's own projects)
      expect(h.children.map((c) => c.unit)).toEqual([...ref.unitByCode.entries()].filter(([, u]) => u.path.split("/").length === ref.unitByCode.get(unit)!.path.split("/").length + 1 && u.path.startsWith(ref.unitByCode.get(unit)!.path)).map(([c]) => c).sort());
    });
  }

  it("never counts another province, pending or rejected tranches, or a deleted project", async () => {
    const h = await computeHeadline(t.db, SYSTEM_ACTOR, { unit: REF.province, ...REF.q1 });
    const jilin = await computeHeadline(t.db, SYSTEM_ACTOR, { unit: "220000", ...REF.q1 });
    // the other province's own figures, and a day with only the pending-only project's 3 亿 in
    // Shenyang: each exactly as the raw rows say (verified funds only, pending beside them)
    expect(pick(jilin)).toEqual(independent("220000", REF.q1));
    const day = { from: "2017-02-14", to: "2017-02-14" };
    const sy = await computeHeadline(t.db, SYSTEM_ACTOR, { unit: "210100", ...day });
    expect(pick(sy)).toEqual(independent("210100", day));
    expect(ref.tranches.filter((x) => x.arrivedOn === day.from && x.amount === "300000000.00").map((x) => x.status)).toEqual(["pending"]);
    const twoYears = { from: "2016-01-01", to: "2017-12-31" };
    expect(pick(await computeHeadline(t.db, SYSTEM_ACTOR, { unit: REF.province, ...twoYears }))).toEqual(independent(REF.province, twoYears));
    expect(pick(h)).toEqual(independent(REF.province, REF.q1));
    // the deleted Dalian project had 7 亿 verified in February: Dalian's Q1 is 44.0 亿 without it
    const dl = await computeHeadline(t.db, SYSTEM_ACTOR, { unit: REF.city, ...REF.q1 });
    expect(dl.domestic.funds).toBe("4400000000.00");
  });

  it("prints exactly the spec's JSON object", async () => {
    const json = headlineJson(await computeHeadline(t.db, SYSTEM_ACTOR, { unit: REF.city, ...REF.janApr }));
    expect(Object.keys(json)).toEqual(["unit", "from", "to", "as_of", "domestic", "foreign", "out_of_province", "signed", "pending", "children"]);
    expect(Object.keys(json.domestic)).toEqual(["currency", "projects", "funds", "projects_yoy_pct", "funds_yoy_pct", "target", "target_progress_pct"]);
    expect(json.unit).toBe("210200");
    expect(json.children.map((c) => [c.unit, c.name])).toEqual([["DL-ZONE", "大连金普新区"]]);
    expect(json.domestic).toMatchObject({ currency: "CNY", projects: 101, funds: "5410000000.00", target: "24040000000.00", target_progress_pct: "22.5" });
  });
});
