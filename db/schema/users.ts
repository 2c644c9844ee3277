import { relations } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, version } from "./_helpers";
import { roleEnum } from "./enums";
import { units } from "./units";

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull().unique(), // stored lower-case
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: roleEnum("role").notNull(),
    unitId: uuid("unit_id").notNull().references(() => units.id),
    locale: text("locale"),
    // bumped on logout-all, password change, role/unit change and disable: older sessions end
    sessionVersion: integer("session_version").notNull().default(1),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    ...timestamps(),
    version: version(),
  },
  (t) => [index("users_unit_idx").on(t.unitId)],
);

export const usersRelations = relations(users, ({ one }) => ({
  unit: one(units, { fields: [users.unitId], references: [units.id] }),
}));
