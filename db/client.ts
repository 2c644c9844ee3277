// One module picks the database: DATABASE_URL → PostgreSQL (postgres-js); otherwise embedded
// PGlite in PGLITE_DIR (default ./data). Migrations run at open. No "server-only" here: the CLI,
// the tests and the benchmark open the database through this module too.
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { APP_ROLE, explainAppRoleFailure, explainMigrationFailure, NotAppRoleError } from "./setup-errors";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbHandle = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

/**
 * The application's database role (migration 0006): no owner, no superuser, only SELECT and
 * INSERT on the audit log and published figures. Every connection the app, the CLI and the tests
 * use works as this role, so whatever role DATABASE_URL names, the application cannot rewrite the
 * audit log, disable its triggers or set session_replication_role. `as: "owner"` keeps the
 * connecting role: for migrations (always) and `db restore` only. On PostgreSQL these two may use
 * another login than the app's (DATABASE_URL_OWNER): one a pooler never sees.
 */
export { APP_ROLE };
export type TDbRole = "app" | "owner";

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
// lockfile beside the folder and fail loudly instead. The lock is taken only by an exclusive
// create ('wx'); a stale one (its process is dead) is removed and the create retried, so of two
// processes taking over the same stale lock only the one whose create succeeds holds it.
function lockPgliteDir(dataDir: string) {
  const lock = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw err;
    }
    const held = readLock(lock);
    if (held === null) continue; // removed meanwhile: try again
    if (!isStale(held))
      throw new DatabaseInUseError(
        `The database folder ${dataDir} is in use by process ${held.pid || "(starting)"}. Stop the server or set DATABASE_URL to use PostgreSQL.`,
      );
    // remove only the stale lock just read: one another process took over meanwhile stays
    if (readLock(lock)?.pid === held.pid) fs.rmSync(lock, { force: true });
  }
  const release = () => {
    if (readLock(lock)?.pid === process.pid) fs.rmSync(lock, { force: true });
  };
  process.once("exit", release);
  return release;
}

function readLock(lock: string): { pid: number; mtimeMs: number } | null {
  try {
    return { pid: Number(fs.readFileSync(lock, "utf8")), mtimeMs: fs.statSync(lock).mtimeMs };
  } catch {
    return null;
  }
}

// an empty lock is one being written this very moment, unless it is old (its writer died)
const isStale = (held: { pid: number; mtimeMs: number }) =>
  held.pid ? !isAlive(held.pid) : Date.now() - held.mtimeMs > 10_000;

export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob | File; as?: TDbRole } = {}): Promise<DbHandle> {
  const release = dataDir ? lockPgliteDir(dataDir) : () => {};
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = new PGlite({ dataDir, loadDataDir: opts.loadDataDir });
    await client.waitReady;
    const db = drizzle({ client, schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }).catch((err: unknown) => {
      throw explainMigrationFailure(err, { user: "postgres", folder: MIGRATIONS_FOLDER });
    });
    // PGlite is one session (as superuser): after migrating, the whole session works as the app role
    if (opts.as !== "owner") await client.exec(`SET ROLE ${APP_ROLE}`);
    await client.exec(`SET default_transaction_isolation = 'read committed'`);
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

/**
 * `ownerUrl` (DATABASE_URL_OWNER): the login that migrates and restores, when the app's own login
 * (`url`, e.g. through a pooler) is another one. Without it both are `url`.
 */
export async function openPostgres(url: string, { max = 10, as = "app", ownerUrl = url }: { max?: number; as?: TDbRole; ownerUrl?: string } = {}): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const migrationClient = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client: migrationClient }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (err) {
    // the database refused (not: is down): who we are, for the fix to name
    const [who] = pgErrorCode(err)
      ? await migrationClient<Array<{ user: string; v: number }>>`select current_user as user, current_setting('server_version_num')::int as v`.catch(() => [])
      : [];
    throw explainMigrationFailure(err, { user: who?.user, serverVersion: who?.v, folder: MIGRATIONS_FOLDER });
  } finally {
    await migrationClient.end();
  }
  if (as === "owner") {
    const client = postgres(ownerUrl, { max, onnotice: () => {}, connection: { default_transaction_isolation: "read committed" } });
    return { db: drizzle({ client, schema }) as unknown as Db, kind: "postgres", close: () => client.end() };
  }
  // `role` as a startup parameter: every pooled connection starts as the app role (RESET ROLE
  // returns to it). Checked once here, so that a login that may not switch to it (PostgreSQL 16+:
  // a membership without SET) stops the start with the fix, not every request with an error.
  // Read committed whatever the database's default: the audit chain's trigger must see the latest
  // entry, and refuses to append under REPEATABLE READ / SERIALIZABLE (migration 0011).
  const client = postgres(url, { max, onnotice: () => {}, connection: { role: APP_ROLE, default_transaction_isolation: "read committed" } });
  try {
    const [me] = await client<Array<{ user: string }>>`select current_user as user`;
    if (me?.user !== APP_ROLE) throw new NotAppRoleError(`the database connections work as "${me?.user}", not ${APP_ROLE}: something in between (a pooler) drops the role startup parameter`);
  } catch (err) {
    await client.end();
    throw explainAppRoleFailure(err, { login: urlUser(url) });
  }
  return { db: drizzle({ client, schema }) as unknown as Db, kind: "postgres", close: () => client.end() };
}

function urlUser(url: string) {
  try {
    return decodeURIComponent(new URL(url).username) || undefined;
  } catch {
    return undefined;
  }
}

export function openFromEnv(opts: { as?: TDbRole } = {}): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? openPostgres(url, { ...opts, ownerUrl: process.env.DATABASE_URL_OWNER || url }) : openPglite(defaultPgliteDir(), opts);
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
