import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps, version } from "./_helpers";

// Installation settings (major-project thresholds, stale days, backdating threshold).
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  ...timestamps(),
  version: version(),
});
