// Money is exact: decimal strings in, decimal.js arithmetic, formatting only at the edge.
// Stored as numeric(20,2) yuan (CNY) or US dollars (USD).
import Decimal from "decimal.js";
import type { TCurrency } from "./domain";

export { Decimal };
export type TLocale = "zh-CN" | "en";

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export const dec = (v: Decimal.Value) => new D(v);

/** A money amount as typed or imported: digits with at most 2 decimals, no sign, no exponent. */
export const AMOUNT_RE = /^\d{1,16}(\.\d{1,2})?$/;

export function isAmount(v: string) {
  return AMOUNT_RE.test(v);
}

export function sumAmounts(values: readonly string[]): string {
  return values.reduce((acc, v) => acc.plus(v), dec(0)).toFixed(2);
}

/** (a − b) / b × 100, half-up to `digits`; null when b is 0 (the spec's YoY and progress rule). */
export function pctChange(current: Decimal.Value, previous: Decimal.Value, digits = 1): string | null {
  const prev = dec(previous);
  if (prev.isZero()) return null;
  return dec(current).minus(prev).div(prev).times(100).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toFixed(digits);
}

/** part / whole × 100, half-up to `digits`; null when whole is 0. */
export function pctOf(part: Decimal.Value, whole: Decimal.Value, digits = 1): string | null {
  const w = dec(whole);
  if (w.isZero()) return null;
  return dec(part).div(w).times(100).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toFixed(digits);
}

function group(intPart: string) {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Fixed decimals with thousands separators, half-up: 1234567.891 → "1,234,567.89". */
export function formatNumber(v: Decimal.Value, digits = 2): string {
  const s = dec(v).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toFixed(digits);
  const neg = s.startsWith("-");
  const [i, f] = (neg ? s.slice(1) : s).split(".");
  return `${neg ? "-" : ""}${group(i!)}${f ? `.${f}` : ""}`;
}

const WAN = 1e4;
const YI = 1e8;

/** Amount in 万 (ten-thousands) as a plain number string, for table columns headed "(万元)". */
export function toWan(v: Decimal.Value, digits = 2) {
  return formatNumber(dec(v).div(WAN), digits);
}

/**
 * Human amount for cards and lists.
 * zh-CN: 亿元/万元 for CNY, 亿美元/万美元 for USD. en: "CNY 62.85 bn", "USD 1.16 bn", "CNY 3.20 m".
 */
export function formatMoney(v: Decimal.Value | null | undefined, currency: TCurrency, locale: TLocale, digits = 2): string {
  if (v === null || v === undefined || v === "") return "—";
  const d = dec(v);
  const abs = d.abs();
  if (locale === "zh-CN") {
    const big = abs.gte(YI);
    const n = formatNumber(d.div(big ? YI : WAN), digits);
    return `${n}${big ? "亿" : "万"}${currency === "USD" ? "美元" : "元"}`;
  }
  if (abs.gte(1e9)) return `${currency} ${formatNumber(d.div(1e9), digits)} bn`;
  if (abs.gte(1e6)) return `${currency} ${formatNumber(d.div(1e6), digits)} m`;
  return `${currency} ${formatNumber(d, 0)}`;
}

/** "12.5%" / "−3.0%" with an explicit sign for changes, "—" for null. */
export function formatPct(v: string | null | undefined, { signed = false } = {}) {
  if (v === null || v === undefined) return "—";
  const n = dec(v);
  const sign = signed && n.gt(0) ? "+" : "";
  return `${sign}${v}%`;
}
