// Fresh, migrated databases for tests: in-memory PGlite by default (migrated once per worker,
// dumped, then loaded per test file in ~0.3 s); a throw-away PostgreSQL database cloned from a
// migrated template when TEST_DATABASE_URL is set (CI runs the integration tests both ways).
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "@/db/schema";
import { APP_ROLE, MIGRATIONS_FOLDER, openPostgres, type Db } from "@/db/client";

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

export type TTestDb = {
  /** the application's connection (the zt_app role, as the app and the CLI work) */
  db: Db;
  kind: "pglite" | "postgres";
  /**
   * Run `fn` as the owner (superuser here), e.g. to tamper with the audit log behind the
   * triggers' back or to restore a backup. On PGlite (one session) the session leaves the app
   * role for the duration: run nothing else meanwhile.
   */
  asOwner: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

export async function createTestDb(): Promise<TTestDb> {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const { default: postgres } = await import("postgres");
    const name = `zt_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    const handle = await openPostgres(withDatabase(pgUrl, name), { max: 5 });
    let owner: Promise<Awaited<ReturnType<typeof openPostgres>>> | undefined;
    return {
      db: handle.db,
      kind: "postgres",
      asOwner: async (fn) => fn((await (owner ??= openPostgres(withDatabase(pgUrl, name), { max: 1, as: "owner" }))).db),
      close: async () => {
        await handle.close();
        if (owner) await (await owner).close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const client = new PGlite({ loadDataDir: await pgliteTemplate() });
  await client.waitReady;
  await client.exec(`SET ROLE ${APP_ROLE}`);
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    asOwner: async (fn) => {
      await client.exec("RESET ROLE");
      try {
        return await fn(db);
      } finally {
        await client.exec(`SET ROLE ${APP_ROLE}`);
      }
    },
    close: () => client.close(),
  };
}
