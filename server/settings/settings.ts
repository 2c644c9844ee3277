import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { settings } from "@/db/schema";
import { dec } from "@/lib/money";
import type { TAdminActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { invalid, staleVersion } from "@/server/lib/errors";

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
  for (const r of rows) out[r.key] = isEditable(r.key) ? readValue(r.key, r.value) : r.value;
  return out as TSettings;
}

// What an administrator may change, and how each value is read. Every consumer reads the settings
// when it computes (staleness, flags, 三未, the major-project badge are derived at read time, none
// is stored per project), so a change applies everywhere at once and no row needs recomputing.
// The project code prefix is not editable: codes already issued carry it.
export const EDITABLE_SETTINGS = ["staleDays", "backdateDays", "threeNotDays", "majorThresholdCny", "majorThresholdUsd"] as const;
export type TEditableSetting = (typeof EDITABLE_SETTINGS)[number];
export const SETTING_KIND: Record<TEditableSetting, "days" | "amount"> = {
  staleDays: "days",
  backdateDays: "days",
  threeNotDays: "days",
  majorThresholdCny: "amount",
  majorThresholdUsd: "amount",
};

export const ZSetSetting = z.object({
  key: z.enum(EDITABLE_SETTINGS),
  // as typed (a form field, a command-line argument); read per key below
  value: z.union([z.string().trim().max(40), z.number()]),
  /** the version the page saw (null: it saw the default); omitted by the CLI */
  version: z.number().int().positive().max(2_147_483_647).nullish(),
});
export type TSetSetting = z.input<typeof ZSetSetting>;

const DAYS_RE = /^[0-9]{1,4}$/;
const AMOUNT_RE = /^[0-9]{1,16}(\.[0-9]{1,2})?$/;

/** A typed value → what is stored: days as an integer up to 3650, amounts as a decimal string with 2 places, > 0. */
export function parseSettingValue(key: TEditableSetting, value: string | number): number | string {
  const s = String(value).trim();
  if (SETTING_KIND[key] === "days") {
    // 0 backdating days: anything recorded after its arrival day is flagged; 0 stale or 三未 days would flag everything
    const min = key === "backdateDays" ? 0 : 1;
    const n = Number(s);
    if (!DAYS_RE.test(s) || n < min || n > 3650) throw invalid({ value: { key: "errors.settings.days", values: { min } } });
    return n;
  }
  if (!AMOUNT_RE.test(s) || dec(s).lte(0)) throw invalid({ value: "errors.settings.amount" });
  return dec(s).toFixed(2);
}

const isEditable = (key: string): key is TEditableSetting => (EDITABLE_SETTINGS as readonly string[]).includes(key);
/**
 * A stored value in its type. Amounts are read back as decimal strings whatever the driver made
 * of the jsonb: a JSON string such as "300000000.00" can come back parsed twice, as a number.
 */
function readValue(key: TEditableSetting, v: unknown): number | string {
  return SETTING_KIND[key] === "days" ? Number(v) : dec(String(v)).toFixed(2);
}

export type TSettingView = { key: TEditableSetting; value: number | string; default: number | string; version: number | null; updatedAt: Date | null };

/** The editable settings with their current and default values (version null: never changed). */
export async function findSettings(db: Db): Promise<TSettingView[]> {
  const rows = await db.select().from(settings).where(inArray(settings.key, [...EDITABLE_SETTINGS]));
  return EDITABLE_SETTINGS.map((key) => {
    const r = rows.find((x) => x.key === key);
    return { key, value: r ? readValue(key, r.value) : DEFAULT_SETTINGS[key], default: DEFAULT_SETTINGS[key], version: r?.version ?? null, updatedAt: r?.updatedAt ?? null };
  });
}

/** An administrator changes one setting (validated, version-checked, audited in the same transaction). */
export async function setSetting(db: Db, actor: TAdminActor, input: TSetSetting): Promise<TSettingView> {
  const data = ZSetSetting.parse(input);
  const parsed = parseSettingValue(data.key, data.value);
  // explicit jsonb: a driver may hand a bare string to jsonb as a number ("300000000.00" → 300000000)
  const value = sql`${JSON.stringify(parsed)}::jsonb`;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(settings).where(eq(settings.key, data.key)).for("update");
    if (data.version !== undefined && (before?.version ?? null) !== data.version) throw staleVersion();
    const [after] = before
      ? await tx
          .update(settings)
          .set({ value, version: sql`${settings.version} + 1`, updatedAt: sql`now()` })
          .where(and(eq(settings.key, data.key), eq(settings.version, before.version)))
          .returning()
      : // two first writes at once: the primary key lets one in, the other is told to reload
        await tx.insert(settings).values({ key: data.key, value }).onConflictDoNothing().returning();
    if (!after) throw staleVersion();
    await writeAudit(tx, { actorId: actor.id, action: "setting.update", entityType: "setting", entityId: data.key, before: before ?? null, after });
    return { key: data.key, value: readValue(data.key, after.value), default: DEFAULT_SETTINGS[data.key], version: after.version, updatedAt: after.updatedAt };
  });
}
