import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { units, users } from "@/db/schema";
import { isLocale } from "@/server/lib/i18n";
import type { TActor } from "./actor";
import { dummyHash, verifyPassword } from "./password";

/**
 * Email + password → the user and their session version, or null. Every failure (unknown email,
 * wrong password, disabled account) looks the same to the caller and takes about as long.
 */
export async function authenticate(db: Db, email: string, password: string) {
  const normalized = email.trim().toLowerCase();
  if (!normalized || !password || password.length > 200) return null;
  const [user] = await db.select().from(users).where(eq(users.email, normalized));
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
  if (!user || !ok || user.disabledAt) return null;
  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

/** The actor for a session token: null when the user is gone, disabled, or the session was ended. */
export async function loadActor(db: Db, userId: string, sessionVersion: number): Promise<TActor | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const [row] = await db
    .select({ user: users, unit: { code: units.code, name: units.name, path: units.path } })
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(eq(users.id, userId));
  if (!row || row.user.disabledAt || row.user.sessionVersion !== sessionVersion) return null;
  return {
    id: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.user.role,
    unitId: row.user.unitId,
    unitCode: row.unit.code,
    unitName: row.unit.name,
    unitPath: row.unit.path,
    locale: isLocale(row.user.locale) ? row.user.locale : "zh-CN",
  };
}

/** Sign-out ends every session of the user (a copied token stops working too). */
export async function endSessions(db: Db, userId: string) {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
}
