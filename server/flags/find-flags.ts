// The flags service: the one place that computes integrity flags, for every consumer — the flags
// page and the dashboard widget (counts and a page), the project page (one project's flags), the
// board's badges (the cards shown) and a review (one flag by key). The rules of rules.ts are SQL:
// reviews joined, counts per rule and the page made in the database, so a request never holds more
// than the page it returns. The list asks each rule apart (PostgreSQL answers them side by side):
// its counts and its first rows in page order; the page's details are then made for its flags only.
import { and, eq, like, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { flagReviews, units, users } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { FLAG_RULES, type TFlagRule, type TFlagStatus } from "@/lib/flags";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { getProjectRow } from "@/server/projects/project-scope";
import { getSettings } from "@/server/settings/settings";
import { finishDetail, identityKey, identityKeySql, isUuid, iso, NO_FLAGS, RULES, SINGLE_PROJECT_RULES, textArray, uuidArray, type TFlagCore, type TFlagMemberRow, type TRuleContext } from "./rules";

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

/** Which flags: about a unit subtree of the scope, about some projects. */
type TFlagQuery = { unit?: string; projectIds?: readonly string[] };

type TFlagRow = TFlagMemberRow & { review_note: string | null; review_by: string | null; review_at: string | null };

/** The rules' context for an actor and a query; null when nothing can match (a unit outside the scope, no project). */
async function ruleContext(db: Db, actor: TScope, q: TFlagQuery, now: Date, withDetail = true): Promise<TRuleContext | null> {
  const scopePattern = subtreePattern(actor.unitPath);
  let unitPattern = scopePattern;
  if (q.unit) {
    // a unit outside the scope (or unknown) filters everything out, exactly like an empty unit
    const [u] = await db.select({ path: units.path }).from(units).where(and(eq(units.code, q.unit), like(units.path, scopePattern)));
    if (!u) return null;
    unitPattern = subtreePattern(u.path);
  }
  const projectIds = q.projectIds ? [...new Set(q.projectIds.filter(isUuid))] : null;
  if (projectIds && !projectIds.length) return null;
  return { db, scopePattern, unitPattern, projectIds, settings: await getSettings(db), today: todayCN(now), withDetail };
}

/** Each rule's rows, the rules about one project apart from the cross-unit ones. */
async function ruleUnions(c: TRuleContext, rules: readonly TFlagRule[]) {
  const union = async (list: readonly TFlagRule[]) => {
    const parts = await Promise.all(list.map((rule) => RULES[rule](c)));
    return parts.length ? sql.join(parts.map((p) => sql`(${p})`), sql` union all `) : NO_FLAGS;
  };
  return { single: await union(rules.filter((r) => SINGLE_PROJECT_RULES.includes(r))), cross: await union(rules.filter((r) => !SINGLE_PROJECT_RULES.includes(r))) };
}

/** A cross-unit rule's rows, each flag once: under the first of its projects in the unit (and projects) asked for. */
function onePerFlag(c: TRuleContext, cross: SQL): SQL {
  const onlyProjects = c.projectIds ? sql` and mc.project_id = any(${uuidArray(c.projectIds, "text")})` : sql``;
  return sql`select distinct on (mc.key) mc.* from (${cross}) mc where mc.unit_path like ${c.unitPattern}${onlyProjects} order by mc.key, mc.ord`;
}

/**
 * `f`: each flag once. Rules about one project give one row per flag, already restricted: only the
 * cross-unit rules need picking (which, at scale, saves sorting every flag by key). Each CTE is read
 * once, so PostgreSQL inlines it and drops the columns the caller does not use.
 */
function flagsCte(u: { single: SQL; cross: SQL }, c: TRuleContext): SQL {
  return sql`f as ((${u.single}) union all (${onePerFlag(c, u.cross)}))`;
}

/** `r`: the flags of `f` with their review, every column. Followed by the caller's select. */
async function flagsWithReviews(c: TRuleContext, rules: readonly TFlagRule[]): Promise<SQL> {
  return sql`with ${flagsCte(await ruleUnions(c, rules), c)},
    r as (
      select f.*, fr.note as review_note, ru.name as review_by, ${iso(sql`fr.reviewed_at`)} as review_at
      from f left join ${flagReviews} fr on fr.flag_key = f.key left join ${users} ru on ru.id = fr.reviewed_by
    )`;
}

const RULE_ORDER = sql.raw(`array[${FLAG_RULES.map((r) => `'${r}'`).join(",")}]::text[]`);
/** Page order within a rule: the newest business date first, then by key (as JavaScript sorts it). */
const IN_RULE_ORDER = sql`r.on_date desc, r.key collate "C"`;
const ORDER = sql`array_position(${RULE_ORDER}, r.rule), ${IN_RULE_ORDER}`;
const json = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

function toFlag(r: TFlagRow): { flag: TFlag; unitId: string } {
  const flag = {
    key: r.key,
    rule: r.rule,
    projectId: r.project_id,
    projectCode: r.project_code,
    projectName: r.project_name,
    unitName: r.unit_name,
    projectIds: json<string[]>(r.project_ids),
    on: r.on_date,
    rows: json<string[]>(r.row_ids),
    detail: finishDetail(r.rule, r.detail),
    review: r.review_note === null ? null : { note: r.review_note, reviewedBy: r.review_by, reviewedAt: new Date(r.review_at!) },
  } as TFlag;
  return { flag, unitId: r.unit_id };
}

const emptyCounts = (): TFlagCounts => Object.fromEntries(FLAG_RULES.map((r) => [r, { open: 0, reviewed: 0 }])) as TFlagCounts;

type TListed = { rule: TFlagRule; key: string; project_id: string };

/**
 * One rule's flags, without their facts: how many are open and reviewed, and `limit` of those
 * with the status asked for from `offset`, in page order. The rule is computed once (`r` is read
 * twice, so PostgreSQL keeps it) and only a few columns of it are kept.
 */
async function ruleSlice(c: TRuleContext, rule: TFlagRule, status: TFlagStatus, limit: number, offset: number) {
  const part = await RULES[rule](c);
  const f = SINGLE_PROJECT_RULES.includes(rule) ? part : onePerFlag(c, part);
  const statusWhere = status === "open" ? sql`not r.reviewed` : status === "reviewed" ? sql`r.reviewed` : sql`true`;
  const page = limit > 0 ? sql`select r.key, r.project_id from r where ${statusWhere} order by ${IN_RULE_ORDER} limit ${limit} offset ${offset}` : sql`select null::text as key, null::text as project_id where false`;
  const rows = await queryRows<{ open: number; reviewed: number; key: string | null; project_id: string | null }>(
    c.db,
    sql`with r as (select f.key, f.on_date, f.project_id, fr.id is not null as reviewed from (${f}) f left join ${flagReviews} fr on fr.flag_key = f.key)
      select n.open, n.reviewed, pg.key, pg.project_id
      from (select (count(*) filter (where not r.reviewed))::int as open, (count(*) filter (where r.reviewed))::int as reviewed from r) n
      left join lateral (${page}) pg on true`,
  );
  const listed = rows.flatMap((r) => (r.key && r.project_id ? [{ rule, key: r.key, project_id: r.project_id }] : []));
  return { open: Number(rows[0]?.open ?? 0), reviewed: Number(rows[0]?.reviewed ?? 0), listed };
}

/** Up to this far down the list (offset + page size), a page comes from each rule's first rows in one pass; deeper, in two. */
const ONE_PASS_DEPTH = 1000;

/**
 * The flags list: filtered by rule and review status, paged, with counts per rule (open and
 * reviewed) over the same scope, unit and project so the filters can show them. The list is in
 * rule order (FLAG_RULES), so a page is made of each rule's part of it. Each rule is read in its
 * own statement: under concurrent writes, two rules' counts may come from moments apart.
 */
export async function findFlags(db: Db, actor: TScope, f: TFlagFilter = {}, now = new Date()) {
  const status = f.status ?? "all";
  const pageSize = Math.min(Math.max(1, f.pageSize ?? 50), 200);
  const page = Math.max(1, f.page ?? 1);
  const counts = emptyCounts();
  const c = await ruleContext(db, actor, { unit: f.unit, projectIds: f.projectId ? [f.projectId] : undefined }, now, false);
  if (!c) return { rows: [] as TFlag[], total: 0, counts, page, pageSize };
  const listedRules = FLAG_RULES.filter((r) => !f.rule || f.rule === r);
  const offset = (page - 1) * pageSize;
  // 1. counts of every rule and, near the top of the list, each listed rule's first rows: the
  // page lies within them (the rules before the page's rows hold fewer than offset + pageSize)
  const onePass = offset + pageSize <= ONE_PASS_DEPTH;
  const slices = await Promise.all(FLAG_RULES.map((r) => ruleSlice(c, r, status, onePass && listedRules.includes(r) ? offset + pageSize : 0, 0)));
  FLAG_RULES.forEach((r, i) => (counts[r] = { open: slices[i]!.open, reviewed: slices[i]!.reviewed }));
  const shown = (r: TFlagRule) => (status === "all" ? counts[r].open + counts[r].reviewed : counts[r][status]);
  const total = listedRules.reduce<number>((n, r) => n + shown(r), 0);
  let listed: TListed[];
  if (onePass) listed = FLAG_RULES.flatMap((r, i) => (listedRules.includes(r) ? slices[i]!.listed : [])).slice(offset, offset + pageSize);
  else {
    // deeper: the part of the page each rule holds, by the counts
    const parts: Array<Promise<{ listed: TListed[] }>> = [];
    let skip = offset;
    let left = pageSize;
    for (const r of listedRules) {
      if (left === 0) break;
      if (skip >= shown(r)) {
        skip -= shown(r);
        continue;
      }
      const take = Math.min(shown(r) - skip, left);
      parts.push(ruleSlice(c, r, status, take, skip));
      left -= take;
      skip = 0;
    }
    listed = (await Promise.all(parts)).flatMap((p) => p.listed);
  }
  if (!listed.length) return { rows: [] as TFlag[], total, counts, page, pageSize };

  // 2. their facts: the same rules, for the projects the page's flags are listed under only
  const keys = listed.map((r) => r.key);
  const dc = { ...c, withDetail: true, projectIds: [...new Set(listed.map((r) => r.project_id))] };
  const full = await queryRows<TFlagRow>(
    db,
    sql`${await flagsWithReviews(dc, [...new Set(listed.map((r) => r.rule))])} select * from r
      where ${identityKeySql(sql`r.key`)} = any(${textArray(keys.map(identityKey))})`,
  );
  const byKey = new Map(full.map((r) => [identityKey(r.key), toFlag(r).flag]));
  // a flag gone between the two reads is left out rather than shown half-made
  const list = keys.flatMap((k) => byKey.get(identityKey(k)) ?? []);
  return { rows: list, total, counts, page, pageSize };
}

/** The flags of one project (open and reviewed); NOT_FOUND when the project is not in scope. */
export async function findProjectFlags(db: Db, actor: TScope, projectId: string, now = new Date()): Promise<TFlag[]> {
  await getProjectRow(db, actor, projectId);
  const c = await ruleContext(db, actor, { projectIds: [projectId] }, now);
  if (!c) return [];
  const rows = await queryRows<TFlagRow>(db, sql`${await flagsWithReviews(c, FLAG_RULES)} select * from r order by ${ORDER}`);
  return rows.map((r) => toFlag(r).flag);
}

/**
 * Of these projects (say, the cards on screen), those in scope with an integrity flag nobody has
 * reviewed yet — counting every project a cross-project flag is about, not only the one it is
 * listed under.
 */
export async function openFlaggedProjects(db: Db, actor: TScope, projectIds: readonly string[], now = new Date()): Promise<Set<string>> {
  const c = await ruleContext(db, actor, { projectIds }, now, false);
  if (!c) return new Set();
  const u = await ruleUnions(c, FLAG_RULES);
  // every row of a flag (all its projects), not only the one it is listed under
  const rows = await queryRows<{ project_id: string }>(
    db,
    sql`select distinct m.project_id from ((${u.single}) union all (${u.cross})) m left join ${flagReviews} fr on fr.flag_key = m.key
      where fr.id is null and m.project_id = any(${uuidArray(c.projectIds!, "text")})`,
  );
  return new Set(rows.map((r) => r.project_id));
}

/** The table each rule's key ids live in: tranches, stage events or projects. */
const KEY_ROWS: Record<TFlagRule, "tranches" | "stage_events" | "projects"> = {
  backdated: "tranches",
  duplicate_evidence: "tranches",
  skipped_stage: "stage_events",
  over_signed: "projects",
  repeat_signing: "projects",
  three_not: "projects",
};

/**
 * One flag by its key, as the actor sees it right now (with the unit of the project it is listed
 * under, for an audit entry), or null. Computed only for the projects its key names.
 */
export async function findFlagByKey(db: Db, actor: TScope, rule: TFlagRule, key: string, now = new Date()): Promise<{ flag: TFlag; unitId: string } | null> {
  const ids = key.slice(key.indexOf(":") + 1).split("+")[0]!.split(",");
  if (!ids.every(isUuid)) return null;
  const table = sql.raw(KEY_ROWS[rule]);
  const projectCol = sql.raw(KEY_ROWS[rule] === "projects" ? "id" : "project_id");
  const owners = await queryRows<{ project_id: string }>(db, sql`select distinct ${projectCol}::text as project_id from ${table} where id = any(${uuidArray(ids)})`);
  const c = await ruleContext(db, actor, { projectIds: owners.map((o) => o.project_id) }, now);
  if (!c) return null;
  const [row] = await queryRows<TFlagRow>(db, sql`${await flagsWithReviews(c, [rule])} select * from r where r.key = ${key}`);
  return row ? toFlag(row) : null;
}
