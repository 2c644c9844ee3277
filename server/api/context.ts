import "server-only";
import { getDb } from "@/db";
import { getActor, getRequestLocale } from "@/server/auth/session";
import type { TContext } from "./trpc";

/** Context for one request: database, signed-in actor (checked against the database), language. */
export async function createRequestContext(): Promise<TContext> {
  const [db, actor, locale] = await Promise.all([getDb(), getActor(), getRequestLocale()]);
  return { db, actor, locale };
}
