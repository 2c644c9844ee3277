import { relations } from "drizzle-orm";
import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, version } from "./_helpers";
import { periodKindEnum, targetMetricEnum } from "./enums";
import { units } from "./units";
import { users } from "./users";

const auditHead = () => ({
  auditHeadSeq: bigint("audit_head_seq", { mode: "number" }),
  auditHeadHash: text("audit_head_hash"),
});

// Annual targets (年度指标): funds in yuan/dollars, signed projects as a count (scale 2 unused).
export const targets = pgTable(
  "targets",
  {
    id: id(),
    unitId: uuid("unit_id").notNull().references(() => units.id),
    year: integer("year").notNull(),
    metric: targetMetricEnum("metric").notNull(),
    value: money("value").notNull(),
    updatedBy: uuid("updated_by").references(() => users.id),
    ...timestamps(),
    version: version(),
  },
  (t) => [uniqueIndex("targets_unit_year_metric_idx").on(t.unitId, t.year, t.metric), index("targets_updated_by_idx").on(t.updatedBy)],
);

// 统计期锁定: a month or quarter locked for a unit subtree.
export const periodLocks = pgTable(
  "period_locks",
  {
    id: id(),
    unitId: uuid("unit_id").notNull().references(() => units.id),
    kind: periodKindEnum("kind").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    lockedBy: uuid("locked_by").references(() => users.id),
    lockedAt: timestamp("locked_at", { withTimezone: true }).notNull().defaultNow(),
    reopenedBy: uuid("reopened_by").references(() => users.id),
    reopenedAt: timestamp("reopened_at", { withTimezone: true }),
    reopenReason: text("reopen_reason"),
    // the audit chain's head when the lock was set: kept outside the chain, so removing or
    // rewriting the newest entries is found by `audit verify` (server/audit/audit-head.ts)
    ...auditHead(),
    ...timestamps(),
    version: version(),
  },
  (t) => [
    index("period_locks_unit_idx").on(t.unitId, t.periodStart),
    index("period_locks_locked_by_idx").on(t.lockedBy),
    index("period_locks_reopened_by_idx").on(t.reopenedBy),
  ],
);

// 发布数据: a period's figures frozen as published. Never updated.
export const publishedFigures = pgTable(
  "published_figures",
  {
    id: id(),
    unitId: uuid("unit_id").notNull().references(() => units.id),
    periodFrom: date("period_from", { mode: "string" }).notNull(),
    periodTo: date("period_to", { mode: "string" }).notNull(),
    asOf: timestamp("as_of", { withTimezone: true }).notNull(),
    definitionVersion: text("definition_version").notNull(),
    params: jsonb("params").notNull(),
    result: jsonb("result").notNull(),
    // the count and digest of the rows behind the figures (published_figure_rows); records published
    // before those were kept hold the rows themselves here
    rows: jsonb("rows").notNull(),
    hash: text("hash").notNull(),
    // the audit chain's head at publication (see period_locks)
    ...auditHead(),
    publishedBy: uuid("published_by").references(() => users.id),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("published_figures_unit_idx").on(t.unitId, t.periodFrom),
    index("published_figures_published_by_idx").on(t.publishedBy),
  ],
);

// The rows behind a publication (tranches, pending, signings, targets, units), one per kind and
// key (by construction, and the record's digest covers them all: no unique index to maintain for a
// few hundred thousand rows at a time). Never updated, like the record.
export const publishedFigureRows = pgTable(
  "published_figure_rows",
  {
    publicationId: uuid("publication_id").notNull().references(() => publishedFigures.id),
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    data: jsonb("data").notNull(),
  },
  (t) => [index("published_figure_rows_publication_idx").on(t.publicationId)],
);

export const targetsRelations = relations(targets, ({ one }) => ({
  unit: one(units, { fields: [targets.unitId], references: [units.id] }),
}));
