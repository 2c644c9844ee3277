// Cell text → typed values, accepting what bureaus' spreadsheets actually contain: Chinese or
// English enum values, 是/否, dates written five different ways or as Excel serial numbers, and
// amounts whose header says 万元 or 亿美元.
import { CAPITAL_TYPES, INDUSTRIES, SOURCE_CHANNELS, STAGES, STATUSES, TARGET_METRICS } from "@/lib/domain";
import type { TCurrency } from "@/lib/domain";
import { isIsoDate } from "@/lib/dates";
import { dec } from "@/lib/money";
import { COUNTRIES, PROVINCES } from "@/lib/regions";
import zh from "@/messages/zh-CN.json";
import en from "@/messages/en.json";

const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase().replace(/[\s_]+/g, "");

/** Dates: 2017-03-31, 2017/3/31, 2017.3.31, 2017年3月31日, 20170331, Excel serial 42825, "2017/3/31 0:00". */
export function parseDate(raw: string): string | null {
  // a date-time at midnight is a date (Excel writes "2017/3/31 0:00" into CSV); another time is refused
  const s = raw.normalize("NFKC").trim().replace(/(\s+|T)0?0:00(:00(\.0+)?)?Z?$/, "");
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const iso = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
    return isIsoDate(iso) ? iso : null;
  }
  m = /^(\d{5})(\.\d+)?$/.exec(s);
  if (m) {
    // Excel's serial day number (1900 date system; day 25569 = 1970-01-01)
    const serial = Number(m[1]);
    if (serial < 20000 || serial > 80000) return null;
    return new Date((serial - 25569) * 86_400_000).toISOString().slice(0, 10);
  }
  return null;
}

/** Units an amount header may carry; "万"/"亿" alone mean the row's own currency (mixed sheets). */
export const AMOUNT_UNITS: Record<string, { currency: TCurrency | null; scale: number }> = {
  万: { currency: null, scale: 1e4 },
  亿: { currency: null, scale: 1e8 },
  元: { currency: "CNY", scale: 1 },
  万元: { currency: "CNY", scale: 1e4 },
  亿元: { currency: "CNY", scale: 1e8 },
  美元: { currency: "USD", scale: 1 },
  万美元: { currency: "USD", scale: 1e4 },
  亿美元: { currency: "USD", scale: 1e8 },
  cny: { currency: "CNY", scale: 1 },
  usd: { currency: "USD", scale: 1 },
};

/**
 * An amount in the header's unit, scaled exactly to yuan/dollars with at most 2 decimals.
 * "1,250.5" in 万元 → "12505000.00". Returns an error key when it is not such an amount.
 */
export function parseAmount(raw: string, scale = 1): { value: string } | { error: string } {
  const s = raw.normalize("NFKC").trim().replace(/[,\s¥￥$]/g, "");
  if (!/^\d+(\.\d+)?$/.test(s)) return { error: "errors.import.amount" };
  const v = dec(s).times(scale);
  if (v.decimalPlaces() > 2) return { error: "errors.import.amountPrecision" };
  if (v.gte("1e16")) return { error: "errors.import.amount" };
  return { value: v.toFixed(2) };
}

export function parseBool(raw: string): boolean | null {
  const s = norm(raw);
  if (["是", "yes", "y", "true", "1", "已核实", "核实", "√", "✓"].includes(s)) return true;
  if (["否", "no", "n", "false", "0", "未核实", "待核实", ""].includes(s)) return false;
  return null;
}

/** An enum value given by its English key or its Chinese/English label (plus common synonyms). */
function enumParser<T extends string>(values: readonly T[], labels: (v: T) => string[], synonyms: Record<string, T> = {}) {
  const map = new Map<string, T>();
  for (const v of values) for (const l of [v, ...labels(v)]) map.set(norm(l), v);
  for (const [k, v] of Object.entries(synonyms)) map.set(norm(k), v);
  return (raw: string): T | null => map.get(norm(raw)) ?? null;
}
const label = (ns: keyof typeof zh.enums) => (v: string) => [(zh.enums[ns] as Record<string, string>)[v]!, (en.enums[ns] as Record<string, string>)[v]!];

export const parseStage = enumParser(STAGES, label("stage"), { 在谈: "negotiation", 到位: "funds", 已签约: "signed", 资金已到位: "funds", 初步接触: "contact" });
export const parseStatus = enumParser(STATUSES, label("status"), { 在推进: "active", 正常: "active", 推进: "active", 暂停: "on_hold", 中止: "lost", 已终止: "lost", onhold: "on_hold" });
export const parseCapitalType = enumParser(CAPITAL_TYPES, label("capitalType"), { 内资项目: "domestic", 外资项目: "foreign", cny: "domestic", usd: "foreign" });
export const parseIndustry = enumParser(INDUSTRIES, label("industry"));
export const parseSourceChannel = enumParser(SOURCE_CHANNELS, label("sourceChannel"), { 网络: "online", 线上: "online", 驻外招商: "other", 小分队: "other" });
export const parseMetric = enumParser(
  TARGET_METRICS,
  (m) => [zh.targets.metric[m], en.targets.metric[m]].map((x) => x.replace(/[（(].*$/, "")),
  { 内资: "domestic_funds", 到位内资: "domestic_funds", 外资: "foreign_funds", 利用外资: "foreign_funds", 省外: "out_of_province_funds", 省外资金: "out_of_province_funds", 签约项目数: "signed_projects", 签约: "signed_projects" },
);

/**
 * An investor's origin: a province (江苏 / 江苏省 / 320000), a city of the home province given by
 * name or code (found in `cities`), or a country/region (日本 / Japan / JP; 香港 counts as 境外).
 */
export function parseOrigin(raw: string, cities: Array<{ code: string; name: string }>): { region: string | null; country: string | null } | null {
  const s = norm(raw);
  if (!s) return { region: null, country: null };
  const strip = (x: string) => norm(x).replace(/(省|市|自治区|壮族|回族|维吾尔|特别行政区)+$/g, "");
  const city = cities.find((c) => norm(c.code) === s || norm(c.name) === s || strip(c.name) === strip(s));
  if (city) return { region: city.code, country: null };
  const province = PROVINCES.find((p) => p.code === s || norm(p.zh) === s || strip(p.zh) === strip(s) || norm(p.en) === s);
  if (province) return { region: province.code, country: null };
  const country = COUNTRIES.find((c) => norm(c.code) === s || norm(c.zh) === s || norm(c.en) === s || norm(c.zh).replace(/^中国/, "") === s);
  if (country) return { region: null, country: country.code };
  return null;
}

/** Header text → its normalised name and, for amounts, the unit in brackets: "计划投资额(万元)". */
export function splitHeader(raw: string): { name: string; unit: string | null } {
  const s = raw.normalize("NFKC").trim();
  const m = /^(.*?)[(（\[]\s*([^)）\]]+?)\s*[)）\]]$/.exec(s);
  const unit = m ? m[2]!.replace(/\s+/g, "").toLowerCase() : null;
  return { name: norm(m ? m[1]! : s), unit: unit && AMOUNT_UNITS[unit] ? unit : unit };
}
export { norm as normalizeHeader };
