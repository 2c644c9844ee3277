import { sql } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { queryRows, type Db } from "@/db/client";

const SECRET_KEYS = new Set(["passwordHash", "content"]);

/** Plain JSON of a row for the audit log: secrets and file bodies left out, dates as ISO strings. */
export function auditSnapshot(row: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!row) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (SECRET_KEYS.has(k)) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

export type TAuditEntry = {
  actorId: string | null;
  action: string; // e.g. "project.create", "project.move_stage"
  entityType: string;
  entityId: string;
  unitId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/** Append one entry; call inside the transaction of the write it describes. */
export async function writeAudit(tx: Db, e: TAuditEntry) {
  await tx.insert(auditLog).values({
    actorId: e.actorId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    unitId: e.unitId ?? null,
    before: auditSnapshot(e.before),
    after: auditSnapshot(e.after),
  });
}

/**
 * The time a write records (reported, verified, recorded, locked …): its transaction's now(), the
 * instant the chain trigger gives its audit entries (migration 0011) — never the application's
 * clock, which may be off, and never through a JS Date, which keeps only milliseconds. `at` only
 * where a test or a seed dates a write on purpose.
 */
export const writeTime = (at?: Date | null) => at ?? sql`now()`;

/** The database's clock as a Date (for today's date in China, say): the transaction's now(). */
export async function dbNow(tx: Db): Promise<Date> {
  const [row] = await queryRows<{ ms: number }>(tx, sql`select floor(extract(epoch from now()) * 1000)::float8 as ms`);
  return new Date(Number(row!.ms));
}
