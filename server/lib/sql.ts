import { sql } from "drizzle-orm";

/** A moment as a SQL parameter both drivers accept (postgres-js takes no Date in raw SQL). */
export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** A user's text inside a LIKE/ILIKE pattern: `%`, `_` and `\` match only themselves. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
