// Saved views of the project list: a user names the current filters and sort, and opens them later.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { savedViews } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { notFound } from "@/server/lib/errors";

/** The list's query-string keys a view may keep (anything else is dropped). */
const VIEW_KEYS = ["q", "stage", "status", "capital", "origin", "channel", "industry", "unit", "owner", "major", "emerging", "funded", "pending", "signed", "stale", "unfunded", "sort", "dir", "size"];

export const ZSaveView = z.object({
  name: z.string().trim().min(1, "errors.view.name").max(40),
  query: z.string().max(2000),
});

/** Keep only known list parameters, in a stable order. */
export function cleanViewQuery(query: string) {
  const input = new URLSearchParams(query.replace(/^\?/, ""));
  const out = new URLSearchParams();
  for (const k of VIEW_KEYS) {
    const v = input.get(k);
    if (v) out.set(k, v.slice(0, 200));
  }
  return out.toString();
}

export function findViews(db: Db, actor: Pick<TActor, "id">) {
  return db.select({ id: savedViews.id, name: savedViews.name, query: savedViews.query }).from(savedViews).where(eq(savedViews.userId, actor.id)).orderBy(asc(savedViews.name));
}

/** Save (or, under the same name, replace) a view of the user's own. */
export async function saveView(db: Db, actor: TActor, input: z.input<typeof ZSaveView>) {
  const data = ZSaveView.parse(input);
  const query = cleanViewQuery(data.query);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(savedViews)
      .values({ userId: actor.id, name: data.name, query })
      .onConflictDoUpdate({ target: [savedViews.userId, savedViews.name], set: { query, createdAt: sql`now()` } })
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "view.save", entityType: "saved_view", entityId: row!.id, unitId: actor.unitId, after: row });
    return row!;
  });
}

export async function deleteView(db: Db, actor: TActor, input: { id: string }) {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(savedViews).where(and(eq(savedViews.id, input.id), eq(savedViews.userId, actor.id))).returning();
    if (!row) throw notFound("view");
    await writeAudit(tx, { actorId: actor.id, action: "view.delete", entityType: "saved_view", entityId: row.id, unitId: actor.unitId, before: row });
    return { ok: true as const };
  });
}
