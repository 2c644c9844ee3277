import { sql, type SQL } from "drizzle-orm";

/** A user's text inside a LIKE/ILIKE pattern: `%`, `_` and `\` match only themselves. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

/** Ids as one array parameter (never one parameter per id: PostgreSQL binds at most 65,535). */
export function uuidArray(ids: readonly string[], type: "uuid" | "text" = "uuid"): SQL {
  if (!ids.every(isUuid)) throw new Error("uuidArray: not a uuid");
  return sql`${`{${ids.join(",")}}`}::${sql.raw(type)}[]`;
}

/** Strings as one text[] parameter (each element quoted and escaped for the array literal). */
export const textArray = (values: readonly string[]): SQL => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`}::text[]`;
