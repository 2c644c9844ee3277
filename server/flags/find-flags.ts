import { eq, inArray, like, and } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flagReviews, units, users } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { FLAG_RULES, type TFlagRule, type TFlagStatus } from "@/lib/flags";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { getProjectRow } from "@/server/projects/project-scope";
import { getSettings } from "@/server/settings/settings";
import { RULES, type TFlagCore, type TRuleResult } from "./rules";

type TScope = Pick<TActor, "unitPath">;

export type TFlagReview = { note: string; reviewedBy: string | null; reviewedAt: Date };
export type TFlag = TFlagCore & { review: TFlagReview | null };
export type TFlagCounts = Record<TFlagRule, { open: number; reviewed: number }>;

export type TFlagFilter = {
  /** a unit code: only flags about projects in that unit's subtree (inside the scope) */
  unit?: string;
  rule?: TFlagRule;
  status?: TFlagStatus;
  projectId?: string;
  page?: number;
  pageSize?: number;
};

/**
 * Every flag in the actor's scope (optionally of one unit subtree or one project), computed now,
 * with its review if it has one. `unitId` is the unit of the flag's project, for the audit entry.
 */
export async function computeFlags(
  db: Db,
  actor: TScope,
  opts: { rules?: readonly TFlagRule[]; unit?: string; projectId?: string } = {},
  now = new Date(),
): Promise<Array<{ flag: TFlag; unitId: string }>> {
  const scopePattern = subtreePattern(actor.unitPath);
  let unitPattern = scopePattern;
  if (opts.unit) {
    // a unit outside the scope (or unknown) filters everything out, exactly like an empty unit
    const [u] = await db.select({ path: units.path }).from(units).where(and(eq(units.code, opts.unit), like(units.path, scopePattern)));
    if (!u) return [];
    unitPattern = subtreePattern(u.path);
  }
  const ctx = { db, scopePattern, unitPattern, projectId: opts.projectId, settings: await getSettings(db), today: todayCN(now) };
  const unitPrefix = unitPattern.slice(0, -1);
  const results: TRuleResult[] = [];
  // one rule after the other: inside a transaction the queries share one connection anyway
  for (const rule of opts.rules ?? FLAG_RULES) results.push(...(await RULES[rule](ctx)));
  // cross-unit rules read the whole scope: keep a flag if one of its projects is in the unit (or is
  // the project) asked for, and show it under that project
  const kept = results.flatMap((r) => {
    const m = r.members.find((x) => x.path.startsWith(unitPrefix) && (!opts.projectId || x.projectId === opts.projectId));
    if (!m) return [];
    const { projectId, projectCode, projectName, unitName } = m;
    return [{ flag: { ...r.flag, projectId, projectCode, projectName, unitName } as TFlagCore, unitId: m.unitId }];
  });

  const keys = kept.map((r) => r.flag.key);
  const reviews = keys.length
    ? await db
        .select({ key: flagReviews.flagKey, note: flagReviews.note, reviewedBy: users.name, reviewedAt: flagReviews.reviewedAt })
        .from(flagReviews)
        .leftJoin(users, eq(users.id, flagReviews.reviewedBy))
        .where(inArray(flagReviews.flagKey, keys))
    : [];
  const byKey = new Map(reviews.map((r) => [r.key, { note: r.note, reviewedBy: r.reviewedBy, reviewedAt: r.reviewedAt }]));
  const order = (rule: TFlagRule) => FLAG_RULES.indexOf(rule);
  return kept
    .map((r) => ({ flag: { ...r.flag, review: byKey.get(r.flag.key) ?? null } as TFlag, unitId: r.unitId }))
    .sort((a, b) => order(a.flag.rule) - order(b.flag.rule) || b.flag.on.localeCompare(a.flag.on) || a.flag.key.localeCompare(b.flag.key));
}

const emptyCounts = (): TFlagCounts => Object.fromEntries(FLAG_RULES.map((r) => [r, { open: 0, reviewed: 0 }])) as TFlagCounts;

/**
 * The flags list: filtered by rule and review status, paged, with counts per rule (open and
 * reviewed) over the same scope, unit and project so the filters can show them.
 */
export async function findFlags(db: Db, actor: TScope, f: TFlagFilter = {}, now = new Date()) {
  const status = f.status ?? "all";
  const pageSize = Math.min(Math.max(1, f.pageSize ?? 50), 200);
  const page = Math.max(1, f.page ?? 1);
  const all = await computeFlags(db, actor, { unit: f.unit, projectId: f.projectId }, now);
  const counts = emptyCounts();
  for (const { flag } of all) counts[flag.rule][flag.review ? "reviewed" : "open"] += 1;
  const matching = all
    .map((r) => r.flag)
    .filter((x) => (!f.rule || x.rule === f.rule) && (status === "all" || (status === "reviewed") === (x.review !== null)));
  return { rows: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, counts, page, pageSize };
}

/** The flags of one project (open and reviewed); NOT_FOUND when the project is not in scope. */
export async function findProjectFlags(db: Db, actor: TScope, projectId: string, now = new Date()): Promise<TFlag[]> {
  await getProjectRow(db, actor, projectId);
  return (await computeFlags(db, actor, { projectId }, now)).map((r) => r.flag);
}
