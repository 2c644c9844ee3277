import { integer, numeric, timestamp, uuid } from "drizzle-orm/pg-core";

export const id = () => uuid("id").primaryKey().defaultRandom();

export const timestamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Optimistic concurrency: every update says `WHERE version = $seen` and bumps it. */
export const version = () => integer("version").notNull().default(1);

/** Money: yuan or US dollars with 2 decimals; read back as a string, never a float. */
export const money = (name: string) => numeric(name, { precision: 20, scale: 2 });
