import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { settings } from "@/db/schema";

export const DEFAULT_SETTINGS = {
  /** 大项目: planned investment at or above these (yuan / US dollars) */
  majorThresholdCny: "100000000.00",
  majorThresholdUsd: "10000000.00",
  /** 停滞: no activity for this many days */
  staleDays: 30,
  /** 突击上报: a tranche recorded this many days after its arrival date is flagged */
  backdateDays: 30,
  /** 三未项目: signed this many days ago and still not registered, started or funded */
  threeNotDays: 180,
  /** project codes look like LN-2026-0001 */
  projectCodePrefix: "LN",
};
export type TSettings = typeof DEFAULT_SETTINGS;

export async function getSettings(db: Db): Promise<TSettings> {
  const rows = await db
    .select()
    .from(settings)
    .where(inArray(settings.key, Object.keys(DEFAULT_SETTINGS)));
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const r of rows) out[r.key] = r.value;
  return out as TSettings;
}
