import "server-only";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { getDb } from "@/db";
import { DEFAULT_LOCALE, isLocale, type TLocale } from "@/server/lib/i18n";
import type { TActor } from "./actor";
import { authOptions } from "./auth-options";
import { actorForSession } from "./authenticate";

/**
 * The signed-in user for this request, or null: the session must be within its idle and absolute
 * lifetimes and its version must match the user's in the database.
 */
export async function getActor(): Promise<TActor | null> {
  const session = await getServerSession(authOptions);
  if (!session) return null;
  return actorForSession(await getDb(), session);
}

export const LOCALE_COOKIE = "NEXT_LOCALE";

/** UI language: the cookie set by the language switch, else zh-CN. */
export async function getRequestLocale(): Promise<TLocale> {
  const v = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(v) ? v : DEFAULT_LOCALE;
}
