import { dec } from "@/lib/money";

/**
 * Amounts are typed in 万 (万元 / 万美元), as bureaus count them, and sent to the server in yuan or
 * dollars, exactly: "1,250.5" 万 → "12505000.00". Returns null when the text is not such an amount.
 */
export function wanToUnits(text: string): string | null {
  const s = text.trim().replace(/[,，\s]/g, "");
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(s)) return null;
  return dec(s).times(10_000).toFixed(2);
}

/** Yuan/dollars → the 万 figure shown in an input (no trailing zeros). */
export function unitsToWan(value: string | null | undefined): string {
  if (!value) return "";
  return dec(value).div(10_000).toFixed();
}
