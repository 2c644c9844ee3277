// A process to kill: imports a file into a PostgreSQL database through importFile (what the CLI's
// `import` command and the import page call), printing each progress event on stdout so the
// crash-consistency test can SIGKILL it at a chosen point.
//   node --import tsx tests/security/support/import-child.ts <database-url> <kind> <file> <email>
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { openPostgres } from "@/db/client";
import { users } from "@/db/schema";
import { loadActor } from "@/server/auth/authenticate";
import type { TImportKind } from "@/server/imports/columns";
import { importFile } from "@/server/imports/import-file";

async function main() {
  const [url, kind, file, email] = process.argv.slice(2);
  const handle = await openPostgres(url!, { max: 2 });
  try {
    const [u] = await handle.db.select({ id: users.id, sv: users.sessionVersion }).from(users).where(eq(users.email, email!));
    const actor = u && (await loadActor(handle.db, u.id, u.sv));
    if (!actor) throw new Error(`no user ${email}`);
    const result = await importFile(handle.db, actor, {
      kind: kind as TImportKind,
      bytes: new Uint8Array(readFileSync(file!)),
      dryRun: false,
      onProgress: (p) => process.stdout.write(`progress ${p.phase} ${p.done} ${p.total}\n`),
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
