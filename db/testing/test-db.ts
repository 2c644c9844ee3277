// Fresh, migrated databases for tests: in-memory PGlite by default (migrated once per worker,
// dumped, then loaded per test file in ~0.3 s); a throw-away PostgreSQL database cloned from a
// migrated template when TEST_DATABASE_URL is set (CI runs the integration tests both ways).
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "@/db/schema";
import { MIGRATIONS_FOLDER, openPostgres, type Db } from "@/db/client";

export const TEMPLATE_DB = "zt_test_template";

let template: Promise<Blob> | undefined;
function pgliteTemplate() {
  template ??= (async () => {
    const pg = new PGlite();
    await migrate(drizzle({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER });
    const dump = await pg.dumpDataDir("none");
    await pg.close();
    return dump;
  })();
  return template;
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export type TTestDb = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

export async function createTestDb(): Promise<TTestDb> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const { default: postgres } = await import("postgres");
    const name = `zt_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    const handle = await openPostgres(withDatabase(pgUrl, name), { max: 5 });
    return {
      db: handle.db,
      kind: "postgres",
      close: async () => {
        await handle.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const client = new PGlite({ loadDataDir: await pgliteTemplate() });
  await client.waitReady;
  return { db: drizzle({ client, schema }) as unknown as Db, kind: "pglite", close: () => client.close() };
}
