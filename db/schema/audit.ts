import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id } from "./_helpers";
import { units } from "./units";
import { users } from "./users";

// Append-only, hash-chained audit log. `seq`, `prev_hash` and `hash` are assigned by the
// audit_log_chain trigger (migration 0001) under an advisory lock, so the chain has one order
// whatever the number of writers; UPDATE and DELETE are refused by another trigger.
export const auditLog = pgTable(
  "audit_log",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().default(0), // assigned by the trigger
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id").references(() => users.id),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    // the unit the entity belongs to, so the log can be browsed by scope
    unitId: uuid("unit_id").references(() => units.id),
    before: jsonb("before"),
    after: jsonb("after"),
    prevHash: text("prev_hash").notNull().default(""),
    hash: text("hash").notNull().default(""),
  },
  (t) => [
    // "as of" figures read a project's attributes at a moment from its latest entry before it
    index("audit_entity_idx").on(t.entityType, t.entityId, t.seq),
    index("audit_actor_idx").on(t.actorId),
    index("audit_unit_idx").on(t.unitId),
    index("audit_at_idx").on(t.at),
  ],
);

// Leaders mark an integrity flag reviewed; the flag itself is always recomputed.
export const flagReviews = pgTable(
  "flag_reviews",
  {
    id: id(),
    flagKey: text("flag_key").notNull().unique(), // rule + the ids it is about
    note: text("note").notNull(),
    reviewedBy: uuid("reviewed_by").references(() => users.id),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("flag_reviews_reviewed_by_idx").on(t.reviewedBy)],
);
