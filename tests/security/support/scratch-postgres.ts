// A throw-away, migrated PostgreSQL database for the security battery's PostgreSQL families
// (concurrency, crash consistency). They need real concurrent connections and a server that
// outlives a killed client, so they use PostgreSQL whether or not TEST_DATABASE_URL is set:
// TEST_DATABASE_URL if set, else the local server every machine here (and CI) runs.
import { randomBytes } from "node:crypto";
import { openPostgres, type DbHandle } from "@/db/client";
import { withDatabase } from "@/db/testing/test-db";

export const POSTGRES_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

export type TScratchDb = DbHandle & { url: string; name: string; drop: () => Promise<void> };

export async function createScratchPostgres(prefix: string, { max = 10 } = {}): Promise<TScratchDb> {
  const { default: postgres } = await import("postgres");
  const name = `zt_${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = withDatabase(POSTGRES_URL, name);
  const handle = await openPostgres(url, { max });
  return {
    ...handle,
    url,
    name,
    drop: async () => {
      await handle.close().catch(() => {});
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
