// The flags service: the one place that computes integrity flags, for every consumer — the flags
// page and the dashboard widget (counts and a page), the project page (one project's flags), the
// board's badges (the cards shown) and a review (one flag by key). Everything is one SQL query over
// the rules of rules.ts: reviews joined, counts per rule and the page made in the database, so a
// request never holds more than the page it returns.
import { and, eq, like, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { flagReviews, units, users } from "@/db/schema";
import { todayCN } from "@/lib/dates";
import { FLAG_RULES, type TFlagRule, type TFlagStatus } from "@/lib/flags";
import type { TActor } from "@/server/auth/actor";
import { subtreePattern } from "@/server/auth/scope";
import { getProjectRow } from "@/server/projects/project-scope";
import { getSettings } from "@/server/settings/settings";
import { finishDetail, isUuid, iso, NO_FLAGS, RULES, SINGLE_PROJECT_RULES, textArray, uuidArray, type TFlagCore, type TFlagMemberRow, type TRuleContext } from "./rules";

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

/**
 * `f`: each flag once, under the first of its projects in the unit (and projects) asked for.
 * Rules about one project give one row per flag, already restricted: only the cross-unit rules need
 * picking (which, at scale, saves sorting every flag by key). Each CTE is read once, so PostgreSQL
 * inlines it and drops the columns the caller does not use.
 */
function flagsCte(c: TRuleContext, u: { single: SQL; cross: SQL }): SQL {
  const onlyProjects = c.projectIds ? sql` and mc.project_id = any(${uuidArray(c.projectIds, "text")})` : sql``;
  return sql`f as (
    (${u.single})
    union all
    (select distinct on (mc.key) mc.* from (${u.cross}) mc where mc.unit_path like ${c.unitPattern}${onlyProjects} order by mc.key, mc.ord)
  )`;
}

/** `r`: the flags of `f` with their review, every column. Followed by the caller's select. */
async function flagsWithReviews(c: TRuleContext, rules: readonly TFlagRule[]): Promise<SQL> {
  return sql`with ${flagsCte(c, await ruleUnions(c, rules))},
    r as (
      select f.*, fr.note as review_note, ru.name as review_by, ${iso(sql`fr.reviewed_at`)} as review_at
      from f left join ${flagReviews} fr on fr.flag_key = f.key left join ${users} ru on ru.id = fr.reviewed_by
    )`;
}

const RULE_ORDER = sql.raw(`array[${FLAG_RULES.map((r) => `'${r}'`).join(",")}]::text[]`);
const ORDER = sql`array_position(${RULE_ORDER}, r.rule), r.on_date desc, r.key collate "C"`;
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

/**
 * The flags list: filtered by rule and review status, paged, with counts per rule (open and
 * reviewed) over the same scope, unit and project so the filters can show them.
 */
export async function findFlags(db: Db, actor: TScope, f: TFlagFilter = {}, now = new Date()) {
  const status = f.status ?? "all";
  const pageSize = Math.min(Math.max(1, f.pageSize ?? 50), 200);
  const page = Math.max(1, f.page ?? 1);
  const counts = emptyCounts();
  const c = await ruleContext(db, actor, { unit: f.unit, projectIds: f.projectId ? [f.projectId] : undefined }, now, false);
  if (!c) return { rows: [] as TFlag[], total: 0, counts, page, pageSize };
  const where = sql.join(
    [
      sql`true`,
      ...(f.rule ? [sql`r.rule = ${f.rule}`] : []),
      ...(status === "open" ? [sql`not r.reviewed`] : status === "reviewed" ? [sql`r.reviewed`] : []),
    ],
    sql` and `,
  );
  // 1. counts and the page's flags, without their facts (at scale the flags are many, the page is not)
  const rows = await queryRows<Partial<TFlagRow> & { counts: unknown }>(
    db,
    // r is read twice (counts, page) and so kept: only the few columns they need
    sql`with ${flagsCte(c, await ruleUnions(c, FLAG_RULES))},
      r as (select f.rule, f.key, f.on_date, f.project_id, fr.id is not null as reviewed from f left join ${flagReviews} fr on fr.flag_key = f.key),
      c as (select rule, reviewed, count(*)::int as n from r group by 1, 2),
      pg as (select key, rule, project_id from r where ${where} order by ${ORDER} limit ${pageSize} offset ${(page - 1) * pageSize})
      select (select coalesce(jsonb_agg(jsonb_build_object('rule', rule, 'reviewed', reviewed, 'n', n)), '[]'::jsonb) from c) as counts, pg.*
      from (select 1) one left join pg on true`,
  );
  for (const x of json<Array<{ rule: TFlagRule; reviewed: boolean; n: number }>>(rows[0]?.counts ?? "[]")) counts[x.rule][x.reviewed ? "reviewed" : "open"] = Number(x.n);
  const rules: readonly TFlagRule[] = f.rule ? [f.rule] : FLAG_RULES;
  const total = rules.reduce<number>((n, x) => n + (status === "all" ? counts[x].open + counts[x].reviewed : counts[x][status]), 0);
  const listed = rows.filter((r): r is TFlagRow & { counts: unknown } => !!r.key);
  if (!listed.length) return { rows: [] as TFlag[], total, counts, page, pageSize };

  // 2. their facts: the same rules, for the projects the page's flags are listed under only
  const keys = listed.map((r) => r.key);
  const dc = { ...c, withDetail: true, projectIds: [...new Set(listed.map((r) => r.project_id))] };
  const full = await queryRows<TFlagRow>(
    db,
    sql`${await flagsWithReviews(dc, [...new Set(listed.map((r) => r.rule))])} select * from r where r.key = any(${textArray(keys)})`,
  );
  const byKey = new Map(full.map((r) => [r.key, toFlag(r).flag]));
  // a row changed between the two reads is left out rather than shown half-made
  const list = keys.flatMap((k) => byKey.get(k) ?? []);
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
