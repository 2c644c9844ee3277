// What an operator reads when opening the database fails: a migration refused for a missing
// privilege, or connections that cannot work as the app role. The drivers' own errors say only
// "Failed query: <the migration's SQL>" with the cause behind it.
import fs from "node:fs";
import path from "node:path";

/** Opening the database failed for a reason the operator has to fix (roles, grants). */
export class DatabaseSetupError extends Error {}

/** The application's database role (see db/client.ts, which re-exports it). */
export const APP_ROLE = "zt_app";
const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

type TPgError = { code?: string; message?: string; detail?: string; hint?: string };

/** The errors of a chain, outermost first: err, its cause, the cause's cause … */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && out.length < 8 && !out.includes(e); e = (e as { cause?: unknown }).cause) out.push(e);
  return out;
}

/** The database's own error in the chain (it has a SQLSTATE). */
function pgError(err: unknown): TPgError | undefined {
  return chain(err).find((e): e is TPgError => typeof e === "object" && typeof (e as TPgError).code === "string" && /^[0-9A-Z]{5}$/.test((e as TPgError).code!));
}

/** The migration whose statement failed (the query of drizzle's error is one statement of a file). */
function failedMigration(err: unknown, folder: string): string | undefined {
  const query = chain(err)
    .map((e) => (e as { query?: unknown }).query)
    .find((q): q is string => typeof q === "string")
    ?.trim();
  if (!query) return undefined;
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: Array<{ tag: string }> };
    return journal.entries.find((m) =>
      fs.readFileSync(path.join(folder, `${m.tag}.sql`), "utf8").split("--> statement-breakpoint").some((s) => s.trim() === query),
    )?.tag;
  } catch {
    return undefined;
  }
}

/**
 * A failed migration, explained; an error that does not come from the database (it is down, say)
 * is returned as it is. The migrations run as the connecting role (DATABASE_URL_OWNER, else
 * DATABASE_URL), which must own the tables and be able to switch to zt_app: migration 0006 creates
 * that role (CREATEROLE) or, when the server already has it (roles are per server), grants it to
 * the connecting role (ADMIN OPTION on it).
 */
export function explainMigrationFailure(err: unknown, ctx: { user?: string; serverVersion?: number; folder: string }): unknown {
  const pg = pgError(err);
  if (!pg) return err;
  const tag = failedMigration(err, ctx.folder);
  const who = ctx.user ? quoteIdent(ctx.user) : "<owner>";
  const withSet = ctx.serverVersion === undefined ? " [WITH SET TRUE on PostgreSQL 16+]" : ctx.serverVersion >= 160000 ? " WITH SET TRUE" : "";
  const grant = `GRANT ${APP_ROLE} TO ${who}${withSet};`;
  const what = `${tag ? `migration ${tag}` : "migrating"} failed: ${pg.message}`;
  let advice = "";
  if (pg.code === "42501" && /create role/i.test(pg.message ?? ""))
    advice =
      `The database role ${who} may not create roles, and this server has no role ${APP_ROLE} yet (the role every app connection works as). ` +
      `Either give it CREATEROLE once (a superuser runs: ALTER ROLE ${who} CREATEROLE;), or have a DBA run: CREATE ROLE ${APP_ROLE} NOLOGIN; ${grant} — then start again.`;
  else if (pg.code === "42501" && new RegExp(`(admin option|grant role).*${APP_ROLE}`, "i").test(pg.message ?? ""))
    advice =
      `The role ${APP_ROLE} already exists on this server (made for another database, or by a DBA), but ${who} is not a member and may not grant it to itself. ` +
      `Have a DBA (a superuser, or the role's creator) run: ${grant} — then start again.`;
  else if (pg.code === "42501")
    advice = `The database role ${who} lacks a privilege this migration needs. Migrations run as the login of DATABASE_URL_OWNER (else DATABASE_URL), which must own the database's tables: connect as the owner.`;
  return new DatabaseSetupError(advice ? `${what}\n${advice}` : what, { cause: err });
}

/** The app's connections came up as another role than zt_app (db/client.ts checks at open). */
export class NotAppRoleError extends Error {}

/**
 * App connections that cannot work as zt_app, explained (other errors are returned as they are).
 * Refused SET ROLE: on PostgreSQL 16+ typically an owner with CREATEROLE but no superuser, to which
 * the role it created is granted back with ADMIN OPTION only (migration 0010 adds SET for the
 * migrating login), or an app login other than the migrating one (DATABASE_URL_OWNER) that nobody
 * granted zt_app. Another role than zt_app: a pooler dropped the `role` startup parameter.
 */
export function explainAppRoleFailure(err: unknown, ctx: { login?: string }): unknown {
  const who = ctx.login ? quoteIdent(ctx.login) : "<the DATABASE_URL login>";
  if (err instanceof NotAppRoleError)
    return new DatabaseSetupError(
      `${err.message}\nThe login of DATABASE_URL must work as ${APP_ROLE}: give it that role by default (ALTER ROLE ${who} SET role = '${APP_ROLE}';) ` +
        `and migrate through another login (DATABASE_URL_OWNER, not through the pooler). See the README, "Database role".`,
      { cause: err },
    );
  const pg = pgError(err);
  if (pg?.code !== "42501") return err;
  return new DatabaseSetupError(
    `the database connection cannot work as the role ${APP_ROLE}: ${pg.message}\n` +
      `Every app connection switches to ${APP_ROLE} (SET ROLE), so ${who} must be a member of it with the SET option. ` +
      `Have a DBA (a superuser, or a role with ADMIN OPTION on ${APP_ROLE}) run: GRANT ${APP_ROLE} TO ${who} [WITH SET TRUE on PostgreSQL 16+]; — then start again.`,
    { cause: err },
  );
}

/**
 * An error for the operator: its message, then each cause's (with the database's code, detail and
 * hint) — the cause is what says why. A driver's "Failed query: <SQL>" is cut to its first 200
 * characters.
 */
export function errorText(err: unknown): string {
  const lines: string[] = [];
  for (const [i, e] of chain(err).entries()) {
    let msg = e instanceof Error ? e.message : typeof e === "object" ? ((e as TPgError).message ?? String(e)) : String(e);
    if (msg.startsWith("Failed query:")) {
      const flat = msg.replace(/\s+/g, " ");
      msg = flat.length > 200 ? `${flat.slice(0, 200)} …` : flat;
    }
    const pg = e as TPgError;
    const extra = [typeof pg.code === "string" && /^[0-9A-Z]{5}$/.test(pg.code) ? `[${pg.code}]` : "", pg.detail ? `detail: ${pg.detail}` : "", pg.hint ? `hint: ${pg.hint}` : ""]
      .filter(Boolean)
      .join(" ");
    const line = extra ? `${msg} ${extra}` : msg;
    if (lines.some((l) => l.endsWith(line))) continue; // a wrapper repeating its cause
    lines.push(i === 0 ? line : `  cause: ${line}`);
  }
  return lines.join("\n");
}
