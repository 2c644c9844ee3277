// A process to kill: imports a file through importFile (what the CLI's `import` command and the
// import page call), printing each progress event on stdout so the crash-consistency test can
// SIGKILL it at a chosen point. The database is PostgreSQL (a URL) or an embedded PGlite folder
// ("pglite:<dir>"): with PGlite this process IS the database, so a kill kills the database too.
//   node --import tsx tests/security/support/import-child.ts <url|pglite:dir> <kind> <file> <email>
//   node --import tsx tests/security/support/import-child.ts <url|pglite:dir> state <code prefix> <investor prefix>
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { openPglite, openPostgres } from "@/db/client";
import { users } from "@/db/schema";
import { loadActor } from "@/server/auth/authenticate";
import type { TImportKind } from "@/server/imports/columns";
import { importFile } from "@/server/imports/import-file";
import { crashState } from "./crash-state";

async function main() {
  const [target, kind, file, email] = process.argv.slice(2);
  const handle = target!.startsWith("pglite:") ? await openPglite(target!.slice("pglite:".length)) : await openPostgres(target!, { max: 2 });
  try {
    if (kind === "state") {
      // a fresh process opening the folder after a kill: PGlite recovers it like PostgreSQL would
      process.stdout.write(`state ${JSON.stringify(await crashState(handle.db, { code: file!, investor: email! }))}\n`);
      return;
    }
    const [u] = await handle.db.select({ id: users.id, sv: users.sessionVersion }).from(users).where(eq(users.email, email!));
    const actor = u && (await loadActor(handle.db, u.id, u.sv));
    if (!actor) throw new Error(`no user ${email}`);
    process.stdout.write("open\n");
    const result = await importFile(handle.db, actor, {
      kind: kind as TImportKind,
      bytes: new Uint8Array(readFileSync(file!)),
      dryRun: false,
      onProgress: (p) => void process.stdout.write(`progress ${p.phase} ${p.done} ${p.total}\n`),
    });
    process.stdout.write(`result ${JSON.stringify({ applied: result.applied, counts: result.counts, errors: result.errors.length })}\n`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
