// The database roles an installation may be given (db/client.ts, migrations 0006 and 0010).
// regressions: on PostgreSQL 16+ an owner with CREATEROLE but no superuser got the role zt_app back
// with ADMIN OPTION only, so 0006 granted nothing and every app connection was refused "permission
// denied to set role"; an owner without CREATEROLE was told only "Failed query: <SQL>".
// The embedded PGlite is PostgreSQL 18 and a server of its own (roles included): a non-superuser
// session there is `SET SESSION AUTHORIZATION`. On the shared PostgreSQL (TEST_DATABASE_URL) roles
// are per server: every role made here has a unique name and is dropped; zt_app is never dropped.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, openFromEnv, openPostgres, queryRows, type DbHandle } from "@/db/client";
import { DatabaseSetupError, errorText, explainMigrationFailure } from "@/db/setup-errors";
import { withDatabase } from "@/db/testing/test-db";
import { writeAudit } from "@/server/audit/write-audit";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zt-roles-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The migrations folder up to (without) one migration, as an installation migrated before it was written. */
function migrationsBefore(tag: string) {
  const dir = path.join(tmp, `before-${tag}`);
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

/** A fresh PGlite server whose database is owned by `owner` (no superuser), the session logged in as it. */
async function serverOwnedBy(owner: string, attributes: string) {
  const pg = new PGlite();
  await pg.exec(`CREATE ROLE ${owner} LOGIN ${attributes}; ALTER DATABASE postgres OWNER TO ${owner}; SET SESSION AUTHORIZATION ${owner};`);
  return pg;
}
const canSetAppRole = (pg: PGlite) =>
  pg.exec("SET ROLE zt_app").then(
    async () => ((await pg.query<{ u: string }>("select current_user as u")).rows[0]!.u === "zt_app" ? "yes" : "no"),
    (e: Error) => e.message,
  );

describe("an owner with CREATEROLE but no superuser (PostgreSQL 16+: createrole_self_grant = '')", () => {
  it("may SET ROLE zt_app after migrating — also an installation migrated before 0010", { timeout: 120_000 }, async () => {
    const pg = await serverOwnedBy("cloud_owner", "CREATEROLE NOSUPERUSER");
    try {
      expect((await pg.query<{ v: number }>("select current_setting('server_version_num')::int as v")).rows[0]!.v).toBeGreaterThanOrEqual(160000);
      await migrate(drizzle({ client: pg }), { migrationsFolder: migrationsBefore("0010_app_role_set") });
      // what installations on such a server had: a member (ADMIN OPTION), but not allowed to switch
      expect((await pg.query("select pg_has_role('cloud_owner', 'zt_app', 'MEMBER') m, pg_has_role('cloud_owner', 'zt_app', 'SET') s")).rows[0]).toEqual({ m: true, s: false });
      expect(await canSetAppRole(pg)).toBe(`permission denied to set role "zt_app"`);
      await migrate(drizzle({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER });
      expect(await canSetAppRole(pg)).toBe("yes");
      // and the app role is still no owner: the audit log stays append-only
      await expect(pg.exec("update audit_log set action = action")).rejects.toThrow(/permission denied/);
    } finally {
      await pg.close();
    }
  });

  it("a fresh installation: 0006 then 0010 in one go", { timeout: 120_000 }, async () => {
    const pg = await serverOwnedBy("cloud_owner", "CREATEROLE NOSUPERUSER");
    try {
      await migrate(drizzle({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER });
      expect(await canSetAppRole(pg)).toBe("yes");
    } finally {
      await pg.close();
    }
  });
});

describe("an owner without CREATEROLE", () => {
  it("the migration says what is missing and what a DBA runs instead", { timeout: 120_000 }, async () => {
    const pg = await serverOwnedBy("plain_owner", "NOCREATEROLE NOSUPERUSER");
    try {
      const err = await migrate(drizzle({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER }).then(() => null, (e: unknown) => e);
      expect(String(err)).toMatch(/^Error: Failed query: /); // all the driver says by itself
      const explained = explainMigrationFailure(err, { user: "plain_owner", serverVersion: 180000, folder: MIGRATIONS_FOLDER });
      expect(explained).toBeInstanceOf(DatabaseSetupError);
      const text = errorText(explained);
      expect(text).toMatch(/^migration 0006_app_role failed: permission denied to create role\n/);
      expect(text).toContain(`CREATE ROLE zt_app NOLOGIN; GRANT zt_app TO "plain_owner" WITH SET TRUE;`);
      expect(text).toContain("cause: permission denied to create role [42501]");
      // the fix as written works: a superuser creates and grants the role, the migration goes through
      await pg.exec("SET SESSION AUTHORIZATION postgres; CREATE ROLE zt_app NOLOGIN; GRANT zt_app TO plain_owner WITH SET TRUE; SET SESSION AUTHORIZATION plain_owner;");
      await migrate(drizzle({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER });
      expect(await canSetAppRole(pg)).toBe("yes");
    } finally {
      await pg.close();
    }
  });
});

// The shared PostgreSQL: real logins, through openPostgres / openFromEnv as the app opens them.
const pgUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!pgUrl)("on PostgreSQL: logins that are not superusers", () => {
  const suffix = randomBytes(4).toString("hex");
  const made = { dbs: [] as string[], roles: [] as string[] };
  const admin = async <T>(fn: (q: import("postgres").Sql) => Promise<T>) => {
    const { default: postgres } = await import("postgres");
    const q = postgres(pgUrl!, { max: 1, onnotice: () => {} });
    try {
      return await fn(q);
    } finally {
      await q.end();
    }
  };
  const loginUrl = (login: string, db: string) => {
    const u = new URL(withDatabase(pgUrl!, db));
    u.username = login;
    u.password = "";
    return u.toString();
  };
  const whoami = async (h: DbHandle) => (await queryRows<{ c: string; s: string }>(h.db, sql`select current_user as c, session_user as s`))[0];

  afterAll(async () => {
    await admin(async (q) => {
      for (const d of made.dbs) await q.unsafe(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
      for (const r of made.roles) await q.unsafe(`DROP ROLE IF EXISTS ${r}`);
    });
  });

  it("audited writes work on a database whose default isolation is REPEATABLE READ: the app's connections read committed", { timeout: 120_000 }, async () => {
    // regression: a DBA's `ALTER DATABASE … SET default_transaction_isolation` made the chain
    // trigger (0011) refuse every write
    const db = `zt_t_iso_${suffix}`;
    made.dbs.push(db);
    await admin((q) => q.unsafe(`CREATE DATABASE ${db}`));
    await admin((q) => q.unsafe(`ALTER DATABASE ${db} SET default_transaction_isolation = 'repeatable read'`));
    const h = await openPostgres(withDatabase(pgUrl!, db), { max: 2 });
    try {
      await h.db.transaction((tx) => writeAudit(tx, { actorId: null, action: "test.isolation", entityType: "installation", entityId: "default" }));
      const [row] = await queryRows<{ i: string }>(h.db, sql`select current_setting('transaction_isolation') as i`);
      expect(row!.i).toBe("read committed");
    } finally {
      await h.close();
    }
  });

  it("an owner without CREATEROLE: told to ask for the grant (zt_app exists on the server); with it, the app works as zt_app", { timeout: 120_000 }, async () => {
    const login = `zt_t_owner_${suffix}`;
    const db = `zt_t_roles_${suffix}`;
    made.roles.push(login);
    made.dbs.push(db);
    await admin(async (q) => {
      await q.unsafe(`CREATE ROLE ${login} LOGIN NOCREATEROLE NOSUPERUSER`);
      await q.unsafe(`CREATE DATABASE ${db} OWNER ${login}`);
      // roles are per server: the test template's migration made zt_app already
      expect(await q`select 1 from pg_roles where rolname = 'zt_app'`).toHaveLength(1);
    });
    const url = loginUrl(login, db);
    const err = await openPostgres(url, { max: 1 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseSetupError);
    const v = await admin(async (q) => (await q<Array<{ v: number }>>`select current_setting('server_version_num')::int as v`)[0]!.v);
    expect((err as Error).message).toMatch(/^migration 0006_app_role failed: (must have admin option on role "zt_app"|permission denied to grant role "zt_app")\n/);
    expect((err as Error).message).toContain(`run: GRANT zt_app TO "${login}"${v >= 160000 ? " WITH SET TRUE" : ""};`);

    await admin((q) => q.unsafe(`GRANT zt_app TO ${login}${v >= 160000 ? " WITH SET TRUE" : ""}`));
    const h = await openPostgres(url, { max: 1 });
    try {
      expect(await whoami(h)).toEqual({ c: "zt_app", s: login });
    } finally {
      await h.close();
    }
  });

  it("DATABASE_URL_OWNER migrates and restores; DATABASE_URL's login must be granted zt_app, else the start stops with the fix", { timeout: 120_000 }, async () => {
    const login = `zt_t_web_${suffix}`;
    const db = `zt_t_pooled_${suffix}`;
    made.roles.push(login);
    made.dbs.push(db);
    await admin(async (q) => {
      await q.unsafe(`CREATE ROLE ${login} LOGIN NOCREATEROLE NOSUPERUSER`);
      await q.unsafe(`CREATE DATABASE ${db}`);
    });
    const env = { ...process.env };
    try {
      process.env.DATABASE_URL = loginUrl(login, db);
      // the app's login alone cannot migrate (it owns nothing)
      delete process.env.DATABASE_URL_OWNER;
      const notOwner = await openFromEnv().then(() => null, (e: unknown) => e);
      expect((notOwner as Error).message).toMatch(/^migrating failed: permission denied for database .*\n.*DATABASE_URL_OWNER/);

      process.env.DATABASE_URL_OWNER = withDatabase(pgUrl!, db);
      const refused = await openFromEnv().then(() => null, (e: unknown) => e);
      expect(refused).toBeInstanceOf(DatabaseSetupError);
      expect((refused as Error).message).toMatch(/^the database connection cannot work as the role zt_app: permission denied to set role "zt_app"\n/);
      expect((refused as Error).message).toContain(`GRANT zt_app TO "${login}"`);

      await admin((q) => q.unsafe(`GRANT zt_app TO ${login}`));
      const app = await openFromEnv();
      const owner = await openFromEnv({ as: "owner" });
      try {
        expect(await whoami(app)).toEqual({ c: "zt_app", s: login });
        const o = await whoami(owner);
        expect(o?.c).toBe(o?.s);
        expect(o?.c).not.toBe(login);
        // migrated by the owner: the tables are its, not the app login's
        const [t] = await queryRows<{ tableowner: string }>(owner.db, sql`select tableowner from pg_tables where tablename = 'audit_log'`);
        expect(t?.tableowner).toBe(o?.c);
      } finally {
        await app.close();
        await owner.close();
      }
    } finally {
      process.env = env;
    }
  });
});
