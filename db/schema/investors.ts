import { relations } from "drizzle-orm";
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, version } from "./_helpers";
import { units } from "./units";
import { users } from "./users";

// An investor is visible to everyone who can see one of its projects, or who created it
// (investors are shared across units: the same company courts several cities).
export const investors = pgTable(
  "investors",
  {
    id: id(),
    name: text("name").notNull(),
    nameNormalized: text("name_normalized").notNull(),
    creditCode: text("credit_code").unique(),
    // domestic: GB/T 2260 code of the province (or, inside the home province, the city) it comes from;
    // foreign: ISO 3166 code of the country/region (HK, MO, TW count as 境外)
    originRegion: text("origin_region"),
    originCountry: text("origin_country"),
    // the unit whose staff created it: keeps an investor without projects inside a scope
    ownerUnitId: uuid("owner_unit_id").notNull().references(() => units.id),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps(),
    version: version(),
  },
  (t) => [
    index("investors_name_norm_idx").on(t.nameNormalized),
    index("investors_owner_unit_idx").on(t.ownerUnitId),
    index("investors_created_by_idx").on(t.createdBy),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    id: id(),
    investorId: uuid("investor_id").notNull().references(() => investors.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    title: text("title"),
    phone: text("phone"),
    email: text("email"),
    // contacts are a unit's own relationship: visible only inside that unit's scope
    ownerUnitId: uuid("owner_unit_id").notNull().references(() => units.id),
    ...timestamps(),
    version: version(),
  },
  (t) => [index("contacts_investor_idx").on(t.investorId), index("contacts_owner_unit_idx").on(t.ownerUnitId)],
);

export const investorsRelations = relations(investors, ({ many }) => ({ contacts: many(contacts) }));
export const contactsRelations = relations(contacts, ({ one }) => ({
  investor: one(investors, { fields: [contacts.investorId], references: [investors.id] }),
}));
