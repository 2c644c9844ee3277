// One module picks the database: DATABASE_URL → PostgreSQL (postgres-js); otherwise embedded
// PGlite in PGLITE_DIR (default ./data). Migrations run at open. No "server-only" here: the CLI,
// the tests and the benchmark open the database through this module too.
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbHandle = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
export const defaultPgliteDir = () => path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ?? path.join(process.cwd(), "data"));

function isAlive(pid: number) {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // a killed server can linger as a zombie (kill(pid, 0) still succeeds): treat Z/X as dead
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return !["Z", "X"].includes(state);
  } catch {
    return true;
  }
}

export class DatabaseInUseError extends Error {}

// PGlite has no cross-process lock: two processes on one folder silently lose writes. Hold a pid
// lockfile beside the folder and fail loudly instead.
function lockPgliteDir(dataDir: string) {
  const lock = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
  } catch {
    const pid = Number(fs.readFileSync(lock, "utf8"));
    if (isAlive(pid))
      throw new DatabaseInUseError(
        `The database folder ${dataDir} is in use by process ${pid}. Stop the server or set DATABASE_URL to use PostgreSQL.`,
      );
    fs.writeFileSync(lock, String(process.pid)); // stale lock from a dead process: take over
  }
  const release = () => {
    try {
      if (fs.readFileSync(lock, "utf8") === String(process.pid)) fs.unlinkSync(lock);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", release);
  return release;
}

export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob | File } = {}): Promise<DbHandle> {
  const release = dataDir ? lockPgliteDir(dataDir) : () => {};
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = new PGlite({ dataDir, loadDataDir: opts.loadDataDir });
    await client.waitReady;
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export async function openPostgres(url: string, { max = 10 } = {}): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client: migrationClient }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await migrationClient.end();
  }
  const client = postgres(url, { max, onnotice: () => {} });
  return { db: drizzle({ client, schema }) as unknown as Db, kind: "postgres", close: () => client.end() };
}

export function openFromEnv(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? openPostgres(url) : openPglite(defaultPgliteDir());
}

/** Postgres error code of a driver error (both drivers), e.g. "23505" for a unique violation. */
export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Rows of a raw `db.execute(sql…)`: PGlite answers `{ rows }`, postgres-js an array. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: import("drizzle-orm").SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown;
  if (Array.isArray(res)) return res as T[];
  return ((res as { rows?: T[] }).rows ?? []) as T[];
}
