// The process-wide database handle for the web app. Kept on globalThis: Next may load this module
// more than once in one process, and two PGlite instances on one folder would corrupt it.
import { openFromEnv, type DbHandle } from "./client";

const g = globalThis as unknown as { __dbHandle?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  if (process.env.NEXT_PHASE === "phase-production-build")
    throw new Error("The database must not be opened during `next build`.");
  g.__dbHandle ??= openFromEnv().catch((err) => {
    g.__dbHandle = undefined;
    throw err;
  });
  return g.__dbHandle;
}

export async function getDb() {
  return (await getDbHandle()).db;
}

export type { Db } from "./client";
