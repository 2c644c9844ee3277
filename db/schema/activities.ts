import { relations } from "drizzle-orm";
import { date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, version } from "./_helpers";
import { activityKindEnum } from "./enums";
import { projects } from "./projects";
import { users } from "./users";

export const activities = pgTable(
  "activities",
  {
    id: id(),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    kind: activityKindEnum("kind").notNull(),
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    summary: text("summary").notNull(),
    participants: text("participants"),
    nextStep: text("next_step"),
    nextDueOn: date("next_due_on", { mode: "string" }),
    nextDoneAt: timestamp("next_done_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    ...timestamps(),
    version: version(),
  },
  (t) => [
    index("activities_project_idx").on(t.projectId, t.occurredOn),
    index("activities_created_by_idx").on(t.createdBy, t.nextDueOn),
  ],
);

export const activitiesRelations = relations(activities, ({ one }) => ({
  project: one(projects, { fields: [activities.projectId], references: [projects.id] }),
  author: one(users, { fields: [activities.createdBy], references: [users.id] }),
}));
