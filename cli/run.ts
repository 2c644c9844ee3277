// Shared plumbing for CLI commands: open the database once, print errors in the operator's language
// on stderr, and exit non-zero on failure.
import { ZodError } from "zod";
import { eq, isNull } from "drizzle-orm";
import { DatabaseInUseError, openFromEnv, type Db, type DbHandle, type TDbRole } from "@/db/client";
import { errorText } from "@/db/setup-errors";
import { units, users } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { loadActor } from "@/server/auth/authenticate";
import { AppError } from "@/server/lib/errors";
import { translate, type TLocale } from "@/server/lib/i18n";

export const cliLocale: TLocale = /^zh/i.test(process.env.CLI_LANG ?? process.env.LANG ?? "") ? "zh-CN" : "en";

let handle: DbHandle | undefined;
/** The database, as the application's role; `"owner"` only for `db restore` (it turns triggers off). */
export async function db(as: TDbRole = "app") {
  handle ??= await openFromEnv({ as });
  return handle.db;
}

export function describeError(err: unknown): string {
  if (err instanceof DatabaseInUseError) return err.message;
  if (err instanceof AppError) {
    const fields = Object.entries(err.fields ?? {}).map(([k, v]) => `  ${k}: ${translate(cliLocale, v.key, v.values)}`);
    return [translate(cliLocale, err.msg.key, err.msg.values), ...fields].join("\n");
  }
  if (err instanceof ZodError)
    return [
      translate(cliLocale, "errors.invalidInput"),
      ...err.issues.map((i) => `  ${i.path.join(".") || "input"}: ${i.message.startsWith("errors.") ? translate(cliLocale, i.message) : i.message}`),
    ].join("\n");
  return errorText(err); // with its causes: a driver's own message is only "Failed query: <SQL>"
}

/** Run a command body; errors go to stderr with exit code 1, the database is always closed. */
export async function run(body: () => Promise<void>) {
  let code = 0;
  try {
    await body();
  } catch (err) {
    process.stderr.write(`error: ${describeError(err)}\n`);
    code = 1;
  } finally {
    await handle?.close().catch(() => {});
  }
  process.exit(code);
}

/** The actor a CLI command runs as with `--as <email>`: that user's role and scope. */
export async function actorByEmail(d: Db, email: string) {
  const [u] = await d.select({ id: users.id, sv: users.sessionVersion }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  const actor = u ? await loadActor(d, u.id, u.sv) : null;
  if (!actor) throw new Error(`no active user with email ${email}`);
  return actor;
}

/**
 * Who a CLI command acts as: `--as <email>` (that user's role and scope), else the installation
 * itself — an administrator over the whole tree, recorded in the audit log with no user.
 */
export async function cliActor(d: Db, asEmail?: string): Promise<TActor> {
  if (asEmail) return actorByEmail(d, asEmail);
  const [root] = await d.select().from(units).where(isNull(units.parentId)).orderBy(units.code).limit(1);
  if (!root) throw new Error("no units yet: add the root unit first (npm run cli -- unit add --code … --name …)");
  return {
    id: null as unknown as string, // no user: the audit log shows the system
    email: "cli",
    name: "CLI",
    role: "admin",
    unitId: root.id,
    unitCode: root.code,
    unitName: root.name,
    unitPath: "",
    locale: cliLocale,
  };
}
