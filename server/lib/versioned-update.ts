import { and, eq, sql } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "@/db/client";
import { notFound, staleVersion } from "./errors";

/** The version a page saw: a positive 4-byte integer, like the column (a larger one cannot exist). */
export const ZVersion = z.number().int().positive().max(2_147_483_647);

type VersionedTable = PgTable & { id: PgColumn; version: PgColumn; updatedAt: PgColumn };

/**
 * UPDATE … WHERE id = $id AND version = $seen, bumping the version. Zero rows means someone else
 * changed (or removed) the row since the user loaded it: refuse, never overwrite silently.
 */
export async function updateVersioned<T extends VersionedTable>(
  tx: Db,
  table: T,
  id: string,
  seenVersion: number,
  values: PgUpdateSetSource<T>,
): Promise<T["$inferSelect"]> {
  const rows = (await tx
    .update(table)
    .set({ ...values, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as PgUpdateSetSource<T>)
    .where(and(eq(table.id, id), eq(table.version, seenVersion)))
    .returning()) as unknown[];
  if (rows.length === 1) return rows[0] as T["$inferSelect"];
  const exists = await tx.select({ id: table.id }).from(table as PgTable).where(eq(table.id, id));
  throw exists.length ? staleVersion() : notFound();
}
