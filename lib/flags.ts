// Integrity flags (数据质量提示): the closed set of rules and the pure parts of each rule, shared by
// the flags service (server/flags) and the pages. The rules select their rows in SQL; what is
// decided here is what does not need the database: keys, which of 三未 applies, which signed
// projects of one investor are the same project, the excess of verified funds over the signing.
import { dec } from "./money";
import { normalizeProjectName } from "./project-name";

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

/** Verified funds above the signed amount: the excess and verified / signed in percent; null when not above. */
export function overSigned(verified: string, signed: string | null): { excess: string; pct: string } | null {
  if (signed === null || !dec(verified).gt(signed) || dec(signed).lte(0)) return null;
  return {
    excess: dec(verified).minus(signed).toFixed(2),
    pct: dec(verified).div(signed).times(100).toDecimalPlaces(1).toFixed(1),
  };
}

/** Two normalised names at least this similar (bigram Dice) are taken for one project. */
export const SAME_PROJECT_SIMILARITY = 0.7;

function bigrams(s: string): Map<string, number> {
  const chars = [...s];
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/**
 * How alike two project names are, 0…1: the Dice coefficient of the character bigrams of their
 * normalised cores (华晨宝马新能源汽车 / 华晨宝马新能源整车: 6 of 8 bigrams shared, 0.75). Chinese
 * names have no word boundaries, so characters pairs are the unit; pg_trgm is not in PGlite.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = normalizeProjectName(a);
  const y = normalizeProjectName(b);
  if (x === y) return 1;
  const bx = bigrams(x);
  const by = bigrams(y);
  let shared = 0;
  let total = 0;
  for (const [g, n] of bx) {
    shared += Math.min(n, by.get(g) ?? 0);
    total += n;
  }
  for (const n of by.values()) total += n;
  return total ? (2 * shared) / total : 0;
}

const PHASE = /[一二三四五六七八九十百0-9]+期/g;
const NUMBER = /[0-9]+(?:\.[0-9]+)?/g;
/** Phases (一期, 2期) and quantities (年产10万吨) in a name: when both names state them, they must agree. */
function markers(name: string) {
  const s = name.normalize("NFKC");
  const phases = (s.match(PHASE) ?? []).sort();
  const numbers = (s.replace(PHASE, "").match(NUMBER) ?? []).sort();
  return { phases: phases.join(","), numbers: numbers.join(",") };
}
const disagree = (a: string, b: string) => a !== "" && b !== "" && a !== b;

/** Two names of one investor that denote one project: similar enough, and not told apart by a phase or a quantity. */
export function isSameProject(a: string, b: string): boolean {
  const ma = markers(a);
  const mb = markers(b);
  if (disagree(ma.phases, mb.phases) || disagree(ma.numbers, mb.numbers)) return false;
  return nameSimilarity(a, b) >= SAME_PROJECT_SIMILARITY;
}

/**
 * 重复签约: signed projects of one investor whose names denote the same project (isSameProject,
 * taken transitively); a group counts when it spans two or more units (two projects of one name in
 * one unit are a different problem). Groups and their members keep the order of the input.
 */
export function groupRepeatSignings<T extends { id: string; investorKey: string; name: string; unitId: string }>(rows: readonly T[]): T[][] {
  const byInvestor = new Map<string, number[]>();
  rows.forEach((r, i) => byInvestor.set(r.investorKey, [...(byInvestor.get(r.investorKey) ?? []), i]));
  // union-find over the pairs of one investor
  const parent = rows.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (const idx of byInvestor.values())
    for (let i = 0; i < idx.length; i++)
      for (let j = i + 1; j < idx.length; j++) {
        const [a, b] = [idx[i]!, idx[j]!];
        if (root(a) !== root(b) && isSameProject(rows[a]!.name, rows[b]!.name)) parent[Math.max(root(a), root(b))] = Math.min(root(a), root(b));
      }
  const groups = new Map<number, T[]>();
  rows.forEach((r, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), r]));
  return [...groups.values()].filter((g) => g.length >= 2 && new Set(g.map((r) => r.unitId)).size >= 2);
}
