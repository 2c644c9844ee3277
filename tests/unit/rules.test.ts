import { describe, expect, it } from "vitest";
import { creditCodeCheckChar, isValidCreditCode } from "@/lib/credit-code";
import { addDays, daysBetween, isIsoDate, minusOneYear, todayCN } from "@/lib/dates";
import { formatMoney, formatNumber, pctChange, pctOf, sumAmounts, toWan } from "@/lib/money";
import { parseDashParams } from "@/app/(app)/dashboard/_components/params";
import { parseAsOf } from "@/lib/as-of";
import { normalizeInvestorName } from "@/lib/normalize-name";
import { deriveOriginClass, codesFromPath } from "@/lib/origin-class";
import { checkMilestones, checkStageMove, moveRequirements, skippedStages } from "@/lib/stage-rules";

describe("stage transitions", () => {
  const base = { businessDate: "2026-05-01", today: "2026-11-27" } as const;
  const move = (from: string, to: string, extra: object = {}) =>
    checkStageMove({
      from: { stage: from as never, status: "active" },
      to: { stage: to as never, status: "active" },
      ...base,
      ...extra,
    });

  it("allows forward moves, including skipping stages", () => {
    expect(move("contact", "negotiation")).toEqual({});
    expect(move("contact", "signed", { signedAmount: "120000000" })).toEqual({});
    expect(skippedStages("contact", "signed")).toEqual(["negotiation"]);
    expect(skippedStages("contact", "negotiation")).toEqual([]);
  });
  it("never lets `funds` be chosen by hand", () => {
    expect(move("signed", "funds").to).toBe("errors.stage.fundsByTranche");
    expect(move("contact", "funds").to).toBe("errors.stage.fundsByTranche");
  });
  it("requires a reason to move backwards or to lost", () => {
    expect(move("negotiation", "contact").reason).toBe("errors.stage.reasonRequired");
    expect(move("negotiation", "contact", { reason: "投资方暂停决策" })).toEqual({});
    const lost = checkStageMove({ from: { stage: "contact", status: "active" }, to: { stage: "contact", status: "lost" }, ...base });
    expect(lost.reason).toBe("errors.stage.reasonRequired");
    expect(moveRequirements({ stage: "contact", status: "active" }, { stage: "contact", status: "on_hold" }).needsReason).toBe(false);
  });
  it("requires a positive signed amount to enter signed", () => {
    expect(move("negotiation", "signed").signedAmount).toBe("errors.stage.signedAmountRequired");
    expect(move("negotiation", "signed", { signedAmount: "0.00" }).signedAmount).toBe("errors.stage.signedAmountRequired");
    expect(move("negotiation", "signed", { signedAmount: "12.345" }).signedAmount).toBe("errors.stage.signedAmountRequired");
    expect(move("negotiation", "signed", { signedAmount: "5000000.50" })).toEqual({});
  });
  it("refuses a no-op and a future business date", () => {
    expect(move("contact", "contact").to).toBe("errors.stage.noChange");
    expect(move("contact", "negotiation", { businessDate: "2026-11-28" }).businessDate).toBe("errors.date.future");
  });
  // regression: contact@2026-06-01, negotiation@2019-01-01, signed@2018-01-01 were all accepted
  // (negative days in stage)
  it("refuses a business date before the project's latest stage event; the same day is fine", () => {
    expect(move("contact", "negotiation", { businessDate: "2026-04-30", notBefore: "2026-05-01" }).businessDate).toBe("errors.stage.beforeLastEvent");
    expect(move("negotiation", "signed", { businessDate: "2018-01-01", notBefore: "2019-01-01", signedAmount: "1" }).businessDate).toBe("errors.stage.beforeLastEvent");
    expect(move("contact", "negotiation", { businessDate: "2026-05-01", notBefore: "2026-05-01" })).toEqual({});
    expect(move("contact", "negotiation", { notBefore: null })).toEqual({});
    // a future date stays the first problem named
    expect(move("contact", "negotiation", { businessDate: "2026-11-28", notBefore: "2026-12-01" }).businessDate).toBe("errors.date.future");
  });
});

describe("milestone dates", () => {
  const today = "2026-11-27";
  const check = (m: Partial<Parameters<typeof checkMilestones>[0]>) =>
    checkMilestones({ signedOn: "2026-03-10", registeredOn: null, constructionOn: null, productionOn: null, today, ...m });

  it("accepts milestones on or after the signing, construction before production, none in the future", () => {
    expect(check({})).toEqual({});
    expect(check({ registeredOn: "2026-03-10", constructionOn: "2026-04-01", productionOn: "2026-04-01" })).toEqual({});
    expect(check({ productionOn: "2026-11-27" })).toEqual({});
  });
  it("refuses a milestone before the signing date", () => {
    expect(check({ registeredOn: "2026-03-09" })).toEqual({ registeredOn: "errors.project.milestoneBeforeSigned" });
    expect(check({ constructionOn: "2025-01-01", productionOn: "2025-02-01" })).toEqual({
      constructionOn: "errors.project.milestoneBeforeSigned",
      productionOn: "errors.project.milestoneBeforeSigned",
    });
  });
  it("refuses production before construction start", () => {
    expect(check({ constructionOn: "2026-06-02", productionOn: "2026-06-01" })).toEqual({ productionOn: "errors.project.productionBeforeConstruction" });
  });
  it("refuses future dates", () => {
    expect(check({ registeredOn: "2026-11-28" })).toEqual({ registeredOn: "errors.date.future" });
    expect(check({ constructionOn: "2027-01-01", productionOn: "2027-02-01" })).toEqual({ constructionOn: "errors.date.future", productionOn: "errors.date.future" });
  });
  it("without a signing date no milestone is accepted", () => {
    expect(check({ signedOn: null, registeredOn: "2026-03-10" })).toEqual({ registeredOn: "errors.project.milestoneBeforeSigning" });
  });
});

describe("unified social credit code", () => {
  it("accepts real codes and computes their check character", () => {
    for (const code of ["91110000802100433B", "91350100M000100Y43", "91440300708461136T", "914403001922038216"]) {
      expect(isValidCreditCode(code)).toBe(true);
    }
    expect(creditCodeCheckChar("91110000802100433")).toBe("B");
  });
  it("rejects a wrong check character, wrong length and forbidden letters", () => {
    expect(isValidCreditCode("91110000802100433C")).toBe(false);
    expect(isValidCreditCode("9111000080210043")).toBe(false);
    expect(isValidCreditCode("91110000802100433I")).toBe(false);
    expect(isValidCreditCode("")).toBe(false);
  });
  it("normalises full-width and lower-case input", () => {
    expect(isValidCreditCode("９１１１００００８０２１００４３３ｂ")).toBe(true);
  });
});

describe("investor name normalisation", () => {
  it("treats legal-form suffixes, spaces and full-width forms as the same", () => {
    const a = normalizeInvestorName("大连万达集团股份有限公司");
    expect(normalizeInvestorName("大连 万达集团")).toBe(a);
    expect(normalizeInvestorName("大连万达")).toBe(a);
    expect(normalizeInvestorName("ＡＢＣ Co., Ltd.")).toBe("abc");
    expect(normalizeInvestorName("ABC Group Limited")).toBe("abc");
    expect(normalizeInvestorName("西门子（中国）有限公司")).toBe(normalizeInvestorName("西门子(中国)有限公司"));
  });
  it("keeps latin suffix letters that are part of a word", () => {
    expect(normalizeInvestorName("Tesco")).toBe("tesco");
    expect(normalizeInvestorName("Tesco")).not.toBe(normalizeInvestorName("Tes Co."));
  });
});

describe("money", () => {
  it("formats 万元/亿元 and 亿美元 in Chinese, bn/m in English", () => {
    expect(formatMoney("62850000000", "CNY", "zh-CN", 1)).toBe("628.5亿元");
    expect(formatMoney("1160000000", "USD", "zh-CN", 1)).toBe("11.6亿美元");
    expect(formatMoney("2500000", "CNY", "zh-CN")).toBe("250.00万元");
    expect(formatMoney("3500000", "USD", "zh-CN")).toBe("350.00万美元");
    expect(formatMoney("62850000000", "CNY", "en")).toBe("CNY 62.85 bn");
    expect(formatMoney("1160000000", "USD", "en")).toBe("USD 1.16 bn");
    expect(formatMoney("3200000", "CNY", "en")).toBe("CNY 3.20 m");
    expect(formatMoney(null, "CNY", "en")).toBe("—");
  });
  it("rounds half up from exact decimals", () => {
    expect(formatNumber("0.125", 2)).toBe("0.13");
    expect(formatNumber("1234567.891", 2)).toBe("1,234,567.89");
    expect(toWan("125000")).toBe("12.50");
    // a float sum would give 0.30000000000000004
    expect(sumAmounts(["0.10", "0.20"])).toBe("0.30");
    expect(sumAmounts(["9999999999999999.99", "0.01"])).toBe("10000000000000000.00");
  });
  it("computes YoY and shares to one decimal, null on a zero base", () => {
    expect(pctChange("105.3", "100")).toBe("5.3");
    expect(pctChange("100", "0")).toBeNull();
    expect(pctChange("1", "3")).toBe("-66.7");
    expect(pctOf("225", "1000")).toBe("22.5");
    expect(pctOf("1", "8")).toBe("12.5");
    expect(pctOf("1", "0")).toBeNull();
  });
  it("rounds percentages half up — away from zero — at the boundary, from exact decimals", () => {
    // 1 / 2000 = 0.05 %: up to 0.1, and the same distance below zero to -0.1
    expect(pctOf("1", "2000")).toBe("0.1");
    expect(pctOf("-1", "2000")).toBe("-0.1");
    expect(pctChange("100.05", "100")).toBe("0.1");
    expect(pctChange("99.95", "100")).toBe("-0.1");
    // 12.25 → 12.3 and -12.25 → -12.3 (a binary float would have 12.25 exactly but 1.005 not)
    expect(pctOf("12.25", "100")).toBe("12.3");
    expect(pctChange("112.25", "100")).toBe("12.3");
    expect(pctChange("87.75", "100")).toBe("-12.3");
    expect(pctOf("1.005", "100", 3)).toBe("1.005");
    expect(pctChange("201.005", "200", 2)).toBe("0.50");
    // just below a half stays down; a change that rounds to zero reads 0.0, never -0.0
    expect(pctOf("12.2499999", "100")).toBe("12.2");
    expect(pctChange("99.96", "100")).toBe("0.0");
    expect(pctChange("100.04", "100")).toBe("0.0");
    // large amounts lose nothing: 628.5 亿 against 596.9 亿
    expect(pctChange("62850000000.00", "59690000000.00")).toBe("5.3");
    expect(pctChange("1160000000.00", "881000000.00")).toBe("31.7");
  });
});

describe("as-of moments", () => {
  it("reads a date alone as the end of that day in China, and an explicit offset as given", () => {
    expect(parseAsOf("2017-04-10")!.toISOString()).toBe("2017-04-10T15:59:59.999Z");
    expect(parseAsOf("2017-04-10T18:00:00+08:00")!.toISOString()).toBe("2017-04-10T10:00:00.000Z");
    expect(parseAsOf("2017-04-10T18:00:00Z")!.toISOString()).toBe("2017-04-10T18:00:00.000Z");
    expect(parseAsOf("2017-04-10T18:00:00-0500")!.toISOString()).toBe("2017-04-10T23:00:00.000Z");
    // no offset: China time
    expect(parseAsOf("2017-04-10 18:00")!.toISOString()).toBe("2017-04-10T10:00:00.000Z");
    expect(parseAsOf("2017-04-10T09:30:15.5")!.toISOString()).toBe("2017-04-10T01:30:15.500Z");
  });
  it("the dashboard URL: a bad period or moment is reported, not silently replaced", () => {
    const now = new Date("2026-12-01T08:00:00Z");
    expect(parseDashParams({ unit: "210000", from: "2017-01-01", to: "2017-03-31", asOf: "2017-04-10" }, "210200", now)).toEqual({
      unit: "210000", from: "2017-01-01", to: "2017-03-31", asOf: new Date("2017-04-10T15:59:59.999Z"), invalid: {},
    });
    const bad = parseDashParams({ from: "2017-13-01", to: "2017-03-31", asOf: "2027-01-01" }, "210200", now);
    expect(bad).toMatchObject({ unit: "210200", from: "2026-01-01", to: "2026-12-01", asOf: null, invalid: { period: { from: "2017-13-01", to: "2017-03-31" }, asOf: "2027-01-01" } });
    expect(parseDashParams({ from: "2017-03-31", to: "2017-01-01" }, "210200", now).invalid.period).toEqual({ from: "2017-03-31", to: "2017-01-01" });
    expect(parseDashParams({}, "210200", now)).toMatchObject({ from: "2026-01-01", to: "2026-12-01", invalid: {} });
  });
  it("refuses what is not a moment", () => {
    for (const bad of ["", "yesterday", "2017-02-30", "2017-04-10T25:00", "2017-04-10T18:00+8", "1e12"]) expect(parseAsOf(bad), bad).toBeNull();
  });
});

describe("origin class", () => {
  const home = { homeProvinceCode: "210000" };
  it("derives abroad / out-of-province / out-of-city / local", () => {
    expect(deriveOriginClass({ capitalType: "foreign", originRegion: "320000", ...home, projectCityCode: "210200" })).toBe("abroad");
    expect(deriveOriginClass({ capitalType: "domestic", originRegion: "320000", ...home, projectCityCode: "210200" })).toBe("out_of_province");
    expect(deriveOriginClass({ capitalType: "domestic", originRegion: "210100", ...home, projectCityCode: "210200" })).toBe("out_of_city");
    expect(deriveOriginClass({ capitalType: "domestic", originRegion: "210200", ...home, projectCityCode: "210200" })).toBe("local");
    expect(deriveOriginClass({ capitalType: "domestic", originRegion: null, ...home, projectCityCode: "210200" })).toBe("local");
  });
  it("reads the province and city from a unit path", () => {
    expect(codesFromPath("210000/210200/DL-JKQ/")).toEqual({ homeProvinceCode: "210000", projectCityCode: "210200" });
    expect(codesFromPath("210000/")).toEqual({ homeProvinceCode: "210000", projectCityCode: "210000" });
  });
});

describe("dates", () => {
  it("validates calendar dates", () => {
    expect(isIsoDate("2017-03-31")).toBe(true);
    expect(isIsoDate("2017-02-29")).toBe(false);
    expect(isIsoDate("2016-02-29")).toBe(true);
    expect(isIsoDate("0000-01-01")).toBe(false);
    expect(isIsoDate("9999-12-31")).toBe(false);
    expect(isIsoDate("2017-3-31")).toBe(false);
  });
  it("does date arithmetic in whole days and the China business day", () => {
    expect(daysBetween("2017-01-01", "2017-03-31")).toBe(89);
    expect(addDays("2017-02-28", 1)).toBe("2017-03-01");
    expect(minusOneYear("2016-02-29")).toBe("2015-02-28");
    expect(todayCN(new Date("2026-11-26T17:00:00Z"))).toBe("2026-11-27");
  });
});
