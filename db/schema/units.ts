import { relations } from "drizzle-orm";
import { type AnyPgColumn, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, version } from "./_helpers";
import { unitKindEnum } from "./enums";

// The unit tree. `path` is the chain of codes from the root, e.g. "210000/210200/", so a
// scope (a unit and all its descendants) is `path LIKE '210000/210200/%'`.
export const units = pgTable(
  "units",
  {
    id: id(),
    code: text("code").notNull().unique(),
    name: text("name").notNull().unique(),
    kind: unitKindEnum("kind").notNull(),
    parentId: uuid("parent_id").references((): AnyPgColumn => units.id),
    path: text("path").notNull().unique(),
    ...timestamps(),
    version: version(),
  },
  (t) => [index("units_parent_idx").on(t.parentId), index("units_path_idx").on(t.path.op("text_pattern_ops"))],
);

export const unitsRelations = relations(units, ({ one, many }) => ({
  parent: one(units, { fields: [units.parentId], references: [units.id], relationName: "parent" }),
  children: many(units, { relationName: "parent" }),
}));
