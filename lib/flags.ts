// Integrity flags (数据质量提示): the closed set of rules and the pure parts of each rule, shared by
// the flags service (server/flags) and the pages. The rules select their rows in SQL; what is
// decided here is what does not need the database: keys, which of 三未 applies, which signed
// projects of one investor are the same project, the excess of verified funds over the signing.
import { dec } from "./money";
import { normalizeProjectName } from "./project-name";
import { stageIndex } from "./stage-rules";
import type { TStage } from "./domain";

export const FLAG_RULES = ["backdated", "over_signed", "duplicate_evidence", "skipped_stage", "repeat_signing", "three_not"] as const;
export type TFlagRule = (typeof FLAG_RULES)[number];

export const FLAG_STATUSES = ["open", "reviewed", "all"] as const;
export type TFlagStatus = (typeof FLAG_STATUSES)[number];

/** 三未: 未注册 / 未开工 / 未到资. */
export const THREE_NOT_ITEMS = ["unregistered", "not_started", "unfunded"] as const;
export type TThreeNotItem = (typeof THREE_NOT_ITEMS)[number];

export const isFlagRule = (v: unknown): v is TFlagRule => (FLAG_RULES as readonly unknown[]).includes(v);

/**
 * The stable key of a flag: its rule and the ids of the rows behind it, e.g. `backdated:<trancheId>`
 * or `duplicate_evidence:<id1>,<id2>`. When some rows lie outside the viewer's scope they are not
 * named: `hiddenDigest` (a digest of their ids, made by the server) stands for them, so the key still
 * changes when they change.
 */
export function flagKey(rule: TFlagRule, ids: readonly string[], hiddenDigest?: string | null): string {
  const base = `${rule}:${[...new Set(ids)].sort().join(",")}`;
  return hiddenDigest ? `${base}+${hiddenDigest}` : base;
}

/** The rule a key belongs to, or null for anything that is not a flag key. */
export function ruleOfKey(key: string): TFlagRule | null {
  const rule = key.slice(0, key.indexOf(":"));
  return isFlagRule(rule) ? rule : null;
}

/** Which of 未注册/未开工/未到资 apply to a signed project (empty: not a 三未 project). */
export function threeNotItems(p: { registeredOn: string | null; constructionOn: string | null; hasVerifiedFunds: boolean }): TThreeNotItem[] {
  const items: TThreeNotItem[] = [];
  if (!p.registeredOn) items.push("unregistered");
  if (!p.constructionOn) items.push("not_started");
  if (!p.hasVerifiedFunds) items.push("unfunded");
  return items;
}

/** A forward move that passed over at least one stage (contact → signed). */
export function isStageSkip(from: TStage | null, to: TStage): boolean {
  return from !== null && stageIndex(from) + 1 < stageIndex(to);
}

/** Verified funds above the signed amount: the excess and verified / signed in percent; null when not above. */
export function overSigned(verified: string, signed: string | null): { excess: string; pct: string } | null {
  if (signed === null || !dec(verified).gt(signed) || dec(signed).lte(0)) return null;
  return {
    excess: dec(verified).minus(signed).toFixed(2),
    pct: dec(verified).div(signed).times(100).toDecimalPlaces(1).toFixed(1),
  };
}

/**
 * 重复签约: signed projects grouped by investor and normalised name; a group counts when it spans
 * two or more units (two projects of one name in one unit are a different problem). Groups keep the
 * order of the input.
 */
export function groupRepeatSignings<T extends { id: string; investorKey: string; name: string; unitId: string }>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = `${r.investorKey}\u0000${normalizeProjectName(r.name)}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].filter((g) => new Set(g.map((r) => r.unitId)).size >= 2);
}
