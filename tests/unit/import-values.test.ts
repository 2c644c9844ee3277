import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import { decodeText } from "@/server/imports/read-table";
import { mapHeader } from "@/server/imports/columns";
import { parseAmount, parseBool, parseCapitalType, parseDate, parseMetric, parseOrigin, parseStage, parseStatus, splitHeader } from "@/server/imports/values";
import { csvField, safeText, toCsv } from "@/server/exports/cells";

describe("import values", () => {
  it("reads dates in the common forms and Excel serial numbers", () => {
    for (const s of ["2017-03-31", "2017/3/31", "2017.3.31", "2017年3月31日", "20170331", "42825", "2017-03-31 00:00:00"]) expect(parseDate(s)).toBe("2017-03-31");
    expect(parseDate("2016-02-29")).toBe("2016-02-29");
    for (const s of ["2017-02-30", "31/03/2017", "yesterday", "123", "99999"]) expect(parseDate(s)).toBeNull();
  });
  it("reads an Excel date-time at midnight, as Chinese Excel writes dates into CSV (2017/3/31 0:00)", () => {
    for (const s of ["2017/3/31 0:00", "2017/3/31 0:00:00", "2017-03-31 00:00", "2017-03-31T00:00:00"]) expect(parseDate(s)).toBe("2017-03-31");
    // a time of day is not a date: refused rather than silently dropped
    for (const s of ["2017/3/31 13:45", "2017/3/31 0:30"]) expect(parseDate(s)).toBeNull();
  });
  it("scales amounts exactly by the header's unit", () => {
    expect(parseAmount("1,250.5", 1e4)).toEqual({ value: "12505000.00" });
    expect(parseAmount("628.5", 1e8)).toEqual({ value: "62850000000.00" });
    expect(parseAmount("0.000001", 1e8)).toEqual({ value: "100.00" });
    expect(parseAmount("12.345")).toEqual({ error: "errors.import.amountPrecision" });
    expect(parseAmount("1.2345678", 1e4)).toEqual({ error: "errors.import.amountPrecision" });
    expect(parseAmount("-5")).toEqual({ error: "errors.import.amount" });
    expect(parseAmount("1e5")).toEqual({ error: "errors.import.amount" });
    expect(parseAmount("¥ 3,000")).toEqual({ value: "3000.00" });
  });
  it("accepts enums in English or Chinese, and 是/否", () => {
    expect(parseStage("签约")).toBe("signed");
    expect(parseStage("在谈")).toBe("negotiation");
    expect(parseStage("Funds arrived")).toBe("funds");
    expect(parseStatus("终止")).toBe("lost");
    expect(parseCapitalType("外资")).toBe("foreign");
    expect(parseCapitalType("domestic")).toBe("domestic");
    expect(parseMetric("实际到位内资")).toBe("domestic_funds");
    expect(parseMetric("签约项目")).toBe("signed_projects");
    expect(parseBool("是")).toBe(true);
    expect(parseBool("no")).toBe(false);
    expect(parseBool("maybe")).toBeNull();
    expect(parseStage("完成")).toBeNull();
  });
  it("reads an investor's origin as a province, a home-province city or a country", () => {
    const cities = [{ code: "210200", name: "大连市" }];
    expect(parseOrigin("江苏", cities)).toEqual({ region: "320000", country: null });
    expect(parseOrigin("江苏省", cities)).toEqual({ region: "320000", country: null });
    expect(parseOrigin("大连", cities)).toEqual({ region: "210200", country: null });
    expect(parseOrigin("香港", cities)).toEqual({ region: null, country: "HK" });
    expect(parseOrigin("Japan", cities)).toEqual({ region: null, country: "JP" });
    expect(parseOrigin("火星", cities)).toBeNull();
  });
  it("matches headers by key or alias, in any order, with units", () => {
    expect(splitHeader("计划投资额(万元)")).toEqual({ name: "计划投资额", unit: "万元" });
    expect(splitHeader("到位金额（万美元）")).toEqual({ name: "到位金额", unit: "万美元" });
    const m = mapHeader("tranches", ["备注", "到位金额（万元）", "项目编号", "到位日期", "是否核实"]);
    expect(m.problems).toEqual([]);
    expect(m.index).toMatchObject({ note: 0, amount: 1, project_code: 2, arrived_on: 3, verified: 4 });
    expect(m.unit.amount).toBe("万元");
    expect(mapHeader("tranches", ["项目编号", "金额"]).problems.map((p) => p.message.key)).toEqual(["errors.import.missingColumn"]);
  });
  it("detects UTF-8 with or without BOM, and GBK/GB18030", () => {
    const gbk = iconv.encode("项目编号,项目名称\r\nLN-1,大连湾项目\r\n", "gbk");
    expect(decodeText(new Uint8Array(gbk))).toMatchObject({ encoding: "GB18030", text: expect.stringContaining("大连湾项目") });
    expect(decodeText(new TextEncoder().encode("\uFEFF项目")).encoding).toBe("UTF-8 BOM");
    expect(decodeText(new TextEncoder().encode("项目")).encoding).toBe("UTF-8");
  });
});

describe("export cells", () => {
  it("neutralises formula injection and quotes CSV", () => {
    for (const s of ["=1+1", "+86 139", "-2+3", "@SUM(A1)", "\tx", "\rx"]) expect(safeText(s).startsWith("'")).toBe(true);
    expect(safeText("-10.4")).toBe("-10.4");
    expect(safeText("大连")).toBe("大连");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField(12.5)).toBe("12.5");
    expect(toCsv(["a"], [["=cmd|' /C calc'!A0"]])).toBe("\uFEFFa\r\n'=cmd|' /C calc'!A0\r\n");
  });
});
