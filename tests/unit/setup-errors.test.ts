// What an operator reads when opening the database fails (db/setup-errors.ts).
// regression: a migration refused for a missing privilege printed only err.message — "Failed query:
// <the migration's SQL>" — and never the cause that said what was missing.
import fs from "node:fs";
import path from "node:path";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "@/db/client";
import { DatabaseSetupError, errorText, explainAppRoleFailure, explainMigrationFailure, NotAppRoleError } from "@/db/setup-errors";
import { describeError } from "@/cli/run";

const pgError = (message: string, code: string, detail?: string) => Object.assign(new Error(message), { code, detail });
// exactly what drizzle's migrator throws: the failed statement, its cause the database's error
const appRoleStatement = fs.readFileSync(path.join(MIGRATIONS_FOLDER, "0006_app_role.sql"), "utf8").split("--> statement-breakpoint")[0]!;
const failed = (cause: Error) => new DrizzleQueryError(appRoleStatement, [], cause);
const explain = (cause: Error, serverVersion?: number) => explainMigrationFailure(failed(cause), { user: "app_owner", serverVersion, folder: MIGRATIONS_FOLDER }) as Error;

describe("a migration refused for a missing privilege", () => {
  it("no CREATEROLE: names the migration, the missing attribute and what a DBA runs instead", () => {
    const err = explain(pgError("permission denied to create role", "42501", "Only roles with the CREATEROLE attribute may create roles."), 160004);
    expect(err).toBeInstanceOf(DatabaseSetupError);
    expect(err.message).toMatch(/^migration 0006_app_role failed: permission denied to create role\n/);
    expect(err.message).toContain(`give it CREATEROLE once (a superuser runs: ALTER ROLE "app_owner" CREATEROLE;)`);
    expect(err.message).toContain(`CREATE ROLE zt_app NOLOGIN; GRANT zt_app TO "app_owner" WITH SET TRUE;`);
    expect(err.message).not.toContain("Failed query");
    // PostgreSQL 15 does not know WITH SET; unknown version: both spelled out
    expect(explain(pgError("permission denied to create role", "42501"), 150020).message).toContain(`GRANT zt_app TO "app_owner";`);
    expect(explain(pgError("permission denied to create role", "42501")).message).toContain(`GRANT zt_app TO "app_owner" [WITH SET TRUE on PostgreSQL 16+];`);
  });

  it("the role exists on the server but the owner may not grant it (PostgreSQL 15 and 16+ wording)", () => {
    for (const msg of [`must have admin option on role "zt_app"`, `permission denied to grant role "zt_app"`]) {
      const m = explain(pgError(msg, "42501"), 150020).message;
      expect(m).toContain(`migration 0006_app_role failed: ${msg}`);
      expect(m).toContain("already exists on this server");
      expect(m).toContain(`Have a DBA (a superuser, or the role's creator) run: GRANT zt_app TO "app_owner";`);
      expect(m).not.toContain("CREATEROLE");
    }
  });

  it("another privilege: says the migrating login must be the owner; other errors of the database are named as they are", () => {
    expect(explain(pgError("permission denied for schema public", "42501")).message).toMatch(/permission denied for schema public\n.*must own the database's tables/);
    const other = explain(pgError(`relation "units" already exists`, "42P07"));
    expect(other.message).toBe(`migration 0006_app_role failed: relation "units" already exists`);
    // a statement that is no migration's (drizzle's own bookkeeping)
    const own = explainMigrationFailure(new DrizzleQueryError(`CREATE SCHEMA IF NOT EXISTS "drizzle"`, [], pgError(`permission denied for database "x"`, "42501")), { user: "u", folder: MIGRATIONS_FOLDER }) as Error;
    expect(own.message).toMatch(/^migrating failed: permission denied for database "x"\n/);
  });

  it("an error that is not the database's (it is down) is left as it is", () => {
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(explainMigrationFailure(down, { folder: MIGRATIONS_FOLDER })).toBe(down);
    expect(explainAppRoleFailure(down, {})).toBe(down);
  });
});

describe("app connections that cannot work as zt_app", () => {
  it("SET ROLE refused: the grant with SET", () => {
    const err = explainAppRoleFailure(pgError(`permission denied to set role "zt_app"`, "42501"), { login: "web" }) as Error;
    expect(err).toBeInstanceOf(DatabaseSetupError);
    expect(err.message).toMatch(/^the database connection cannot work as the role zt_app: permission denied to set role "zt_app"\n/);
    expect(err.message).toContain(`GRANT zt_app TO "web" [WITH SET TRUE on PostgreSQL 16+];`);
  });

  it("connections as another role (a pooler dropped the startup parameter): the pooled login's default role", () => {
    const err = explainAppRoleFailure(new NotAppRoleError(`the database connections work as "web", not zt_app`), { login: "web" }) as Error;
    expect(err.message).toContain(`ALTER ROLE "web" SET role = 'zt_app';`);
    expect(err.message).toContain("DATABASE_URL_OWNER");
  });
});

describe("printing an error with its causes (start-up and CLI)", () => {
  it("the cause with the database's code and detail; the failed SQL cut short", () => {
    const raw = failed(pgError("permission denied to create role", "42501", "Only roles with the CREATEROLE attribute may create roles."));
    const text = errorText(raw);
    const [first, ...rest] = text.split("\n");
    expect(first).toMatch(/^Failed query: -- The application's own database role\..{100,} …$/);
    expect(first!.length).toBeLessThanOrEqual(202);
    expect(rest).toEqual(["  cause: permission denied to create role [42501] detail: Only roles with the CREATEROLE attribute may create roles."]);
    // the CLI prints the same
    expect(describeError(raw)).toBe(text);
    // an explained one: the explanation first, the database's own words below
    const explained = errorText(explain(pgError("permission denied to create role", "42501"), 150020));
    expect(explained).toMatch(/^migration 0006_app_role failed: permission denied to create role\nThe database role "app_owner" may not create roles/);
    expect(explained).toContain("\n  cause: permission denied to create role [42501]");
  });

  it("a plain error is its message", () => {
    expect(errorText(new Error("boom"))).toBe("boom");
    expect(errorText("boom")).toBe("boom");
  });
});
