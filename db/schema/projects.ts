import { relations, sql } from "drizzle-orm";
import { boolean, date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, version } from "./_helpers";
import { capitalTypeEnum, originClassEnum, sourceChannelEnum, stageEnum, statusEnum } from "./enums";
import { investors } from "./investors";
import { units } from "./units";
import { users } from "./users";

export const projects = pgTable(
  "projects",
  {
    id: id(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    investorId: uuid("investor_id").notNull().references(() => investors.id),
    capitalType: capitalTypeEnum("capital_type").notNull(),
    unitId: uuid("unit_id").notNull().references(() => units.id),
    ownerId: uuid("owner_id").references(() => users.id),
    industry: text("industry").notNull(),
    isEmerging: boolean("is_emerging").notNull().default(false),
    sourceChannel: sourceChannelEnum("source_channel").notNull(),
    plannedAmount: money("planned_amount").notNull(),
    signedAmount: money("signed_amount"),
    signedOn: date("signed_on", { mode: "string" }),
    stage: stageEnum("stage").notNull().default("contact"),
    status: statusEnum("status").notNull().default("active"),
    statusReason: text("status_reason"),
    // business date of the latest stage/status change: "days in stage" counts from it
    stageSince: date("stage_since", { mode: "string" }).notNull(),
    // derived from capital type, investor origin and unit at every write, stored so that figures
    // computed later reproduce what was true when they were reported
    originClass: originClassEnum("origin_class").notNull(),
    registeredOn: date("registered_on", { mode: "string" }),
    constructionOn: date("construction_on", { mode: "string" }),
    productionOn: date("production_on", { mode: "string" }),
    notes: text("notes"),
    lastActivityOn: date("last_activity_on", { mode: "string" }),
    createdBy: uuid("created_by").references(() => users.id),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    ...timestamps(),
    version: version(),
  },
  (t) => [
    index("projects_unit_idx").on(t.unitId),
    index("projects_investor_idx").on(t.investorId),
    index("projects_owner_idx").on(t.ownerId),
    index("projects_created_by_idx").on(t.createdBy),
    index("projects_stage_idx").on(t.stage, t.status),
    index("projects_signed_on_idx").on(t.signedOn),
    index("projects_updated_idx").on(t.updatedAt),
    // a board column's cards, longest in stage first (keyset: stage_since, code; server/board)
    index("projects_board_idx").on(t.stage, t.stageSince, t.code).where(sql`${t.deletedAt} is null`),
  ],
);

// One row per stage or status change (and one for creation). `businessDate` is when it happened,
// `recordedAt` when it was entered: figures "as of" a moment read only events recorded before it.
export const stageEvents = pgTable(
  "stage_events",
  {
    id: id(),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    fromStage: stageEnum("from_stage"),
    toStage: stageEnum("to_stage").notNull(),
    fromStatus: statusEnum("from_status"),
    toStatus: statusEnum("to_status").notNull(),
    businessDate: date("business_date", { mode: "string" }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id").references(() => users.id),
    note: text("note"),
    reason: text("reason"),
    signedAmount: money("signed_amount"),
  },
  (t) => [
    index("stage_events_project_idx").on(t.projectId, t.businessDate),
    index("stage_events_actor_idx").on(t.actorId),
    index("stage_events_to_stage_idx").on(t.toStage, t.businessDate),
  ],
);

export const projectsRelations = relations(projects, ({ one, many }) => ({
  investor: one(investors, { fields: [projects.investorId], references: [investors.id] }),
  unit: one(units, { fields: [projects.unitId], references: [units.id] }),
  owner: one(users, { fields: [projects.ownerId], references: [users.id] }),
  events: many(stageEvents),
}));

export const stageEventsRelations = relations(stageEvents, ({ one }) => ({
  project: one(projects, { fields: [stageEvents.projectId], references: [projects.id] }),
  actor: one(users, { fields: [stageEvents.actorId], references: [users.id] }),
}));
