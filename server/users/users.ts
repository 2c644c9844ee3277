import { and, asc, eq, ilike, isNull, like, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { units, users } from "@/db/schema";
import { ROLES } from "@/lib/domain";
import type { TActor, TAdminActor } from "@/server/auth/actor";
import { isCommonPassword } from "@/server/auth/common-passwords";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { reserveAttempt, settleAttempt } from "@/server/auth/sign-in-limits";
import { subtreePattern } from "@/server/auth/scope";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError, invalid, notFound } from "@/server/lib/errors";
import { escapeLike } from "@/server/lib/sql";
import { updateVersioned, ZVersion } from "@/server/lib/versioned-update";
import { getUnit } from "@/server/units/units";

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  unitId: users.unitId,
  unitCode: units.code,
  unitName: units.name,
  disabledAt: users.disabledAt,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  version: users.version,
};

export const ZFindUsers = z.object({
  q: z.string().trim().max(100).optional(),
  role: z.enum(ROLES).optional(),
  unitId: z.uuid().optional(),
  includeDisabled: z.boolean().default(true),
});
export type TFindUsers = z.input<typeof ZFindUsers>;

/** Users whose unit lies in the actor's scope. */
export async function findUsers(db: Db, actor: Pick<TActor, "unitPath">, input: TFindUsers = {}) {
  const f = ZFindUsers.parse(input);
  const where: (SQL | undefined)[] = [like(units.path, subtreePattern(actor.unitPath))];
  if (f.q) where.push(or(ilike(users.name, `%${escapeLike(f.q)}%`), ilike(users.email, `%${escapeLike(f.q)}%`)));
  if (f.role) where.push(eq(users.role, f.role));
  if (f.unitId) where.push(eq(users.unitId, f.unitId));
  if (!f.includeDisabled) where.push(isNull(users.disabledAt));
  return db
    .select(publicColumns)
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(and(...where))
    .orderBy(asc(units.path), asc(users.name));
}

export async function getUser(db: Db, actor: Pick<TActor, "unitPath">, id: string) {
  const [row] = await db
    .select(publicColumns)
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(and(eq(users.id, id), like(units.path, subtreePattern(actor.unitPath))));
  if (!row) throw notFound("user");
  return row;
}

export const ZPassword = z
  .string()
  .min(8, "errors.password.tooShort")
  .max(200)
  .refine((p) => !isCommonPassword(p), "errors.password.common");

/** A password that is the user's own email (or its local part) is as weak as a common one. */
function refusePersonalPassword(password: string, email: string, field = "password") {
  if (isCommonPassword(password, email)) throw invalid({ [field]: "errors.password.common" });
}

export const ZEmail = z.string().trim().toLowerCase().pipe(z.email("errors.email.format")).pipe(z.string().max(200));

export const ZCreateUser = z.object({
  email: ZEmail,
  name: z.string().trim().min(1).max(60),
  role: z.enum(ROLES),
  unitId: z.uuid(),
  password: ZPassword,
});
export type TCreateUser = z.input<typeof ZCreateUser>;

export async function createUser(db: Db, actor: TAdminActor, input: TCreateUser) {
  const data = ZCreateUser.parse(input);
  refusePersonalPassword(data.password, data.email);
  const passwordHash = await hashPassword(data.password);
  return db.transaction(async (tx) => {
    const unit = await getUnit(tx, actor, data.unitId);
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, data.email));
    if (taken) throw invalid({ email: "errors.email.taken" });
    const [row] = await tx
      .insert(users)
      .values({ email: data.email, name: data.name, role: data.role, unitId: unit.id, passwordHash })
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "user.create", entityType: "user", entityId: row!.id, unitId: unit.id, after: row });
    return getUser(tx, actor, row!.id);
  });
}

export const ZUpdateUser = z.object({
  id: z.uuid(),
  version: ZVersion,
  name: z.string().trim().min(1).max(60),
  role: z.enum(ROLES),
  unitId: z.uuid(),
  disabled: z.boolean(),
});
export type TUpdateUser = z.input<typeof ZUpdateUser>;

/** Change name, role, unit or disable; a role/unit change or disabling ends the user's sessions. */
export async function updateUser(db: Db, actor: TAdminActor, input: TUpdateUser) {
  const data = ZUpdateUser.parse(input);
  return db.transaction(async (tx) => {
    const before = await getUser(tx, actor, data.id);
    const unit = await getUnit(tx, actor, data.unitId);
    if (data.id === actor.id && (data.disabled || data.role !== before.role))
      throw invalid({ role: "errors.user.notSelf" });
    const endSessions = data.role !== before.role || unit.id !== before.unitId || (data.disabled && !before.disabledAt);
    const after = await updateVersioned(tx, users, data.id, data.version, {
      name: data.name,
      role: data.role,
      unitId: unit.id,
      disabledAt: data.disabled ? (before.disabledAt ?? sql`now()`) : null,
      ...(endSessions ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
    });
    await writeAudit(tx, { actorId: actor.id, action: "user.update", entityType: "user", entityId: data.id, unitId: unit.id, before, after });
    return getUser(tx, actor, data.id);
  });
}

export const ZResetPassword = z.object({ id: z.uuid(), version: ZVersion, password: ZPassword });

/**
 * An admin sets a new password; the user's sessions end. Against the version the admin saw: a
 * user changed meanwhile (disabled, moved, another reset) is refused, not reset blindly.
 */
export async function resetPassword(db: Db, actor: TAdminActor, input: z.input<typeof ZResetPassword>) {
  const data = ZResetPassword.parse(input);
  const passwordHash = await hashPassword(data.password);
  return db.transaction(async (tx) => {
    const before = await getUser(tx, actor, data.id);
    refusePersonalPassword(data.password, before.email);
    const after = await updateVersioned(tx, users, data.id, data.version, { passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` });
    await writeAudit(tx, {
      actorId: actor.id,
      action: "user.reset_password",
      entityType: "user",
      entityId: data.id,
      unitId: before.unitId,
      before: { version: before.version },
      after: { passwordChanged: true, version: after.version },
    });
    return { ok: true as const, version: after.version };
  });
}

/** Why a password breaks the policy (a message key), or null: for passwords set outside a form (demo data). */
export function passwordPolicyProblem(password: string, email?: string): string | null {
  const r = ZPassword.safeParse(password);
  if (!r.success) return r.error.issues[0]?.message ?? "errors.password.common";
  return email && isCommonPassword(password, email) ? "errors.password.common" : null;
}

export const ZChangePassword = z.object({ current: z.string().min(1).max(200), next: ZPassword });

/**
 * A user changes their own password; every session of theirs ends, this one included. The current
 * password is checked under the account's sign-in limit (a stolen session must not become an
 * unthrottled way to guess it): failures count with the sign-in's, and while the account is
 * locked even the right one is refused unchecked.
 */
export async function changeOwnPassword(db: Db, actor: Pick<TActor, "id" | "unitId" | "email">, input: z.input<typeof ZChangePassword>) {
  const data = ZChangePassword.parse(input);
  refusePersonalPassword(data.next, actor.email, "next");
  if (data.current === data.next) throw invalid({ next: "errors.password.same" });
  const reservation = await reserveAttempt(db, { accountKey: actor.email.trim().toLowerCase(), ip: null, perAddress: false });
  if (reservation.throttled) throw new AppError("TOO_MANY", { key: "errors.password.tooManyAttempts" });
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  const ok = !!row && (await verifyPassword(row.passwordHash, data.current));
  await settleAttempt(db, reservation.attemptId, ok ? "success" : "failure");
  if (!ok) throw invalid({ current: "errors.password.wrongCurrent" });
  const passwordHash = await hashPassword(data.next);
  return db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
      .where(eq(users.id, actor.id));
    await writeAudit(tx, { actorId: actor.id, action: "user.change_password", entityType: "user", entityId: actor.id, unitId: actor.unitId, after: { passwordChanged: true } });
    return { ok: true as const };
  });
}

/**
 * The user's UI language, audited like every write. A preference of the user's own, so not
 * versioned: it must not make an administrator's pending edit of the user stale.
 */
export async function setOwnLocale(db: Db, actor: Pick<TActor, "id" | "unitId">, locale: "zh-CN" | "en") {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, actor.id)).for("update");
    if (!before) throw notFound("user");
    if (before.locale === locale) return { ok: true as const };
    await tx.update(users).set({ locale, updatedAt: sql`now()` }).where(eq(users.id, actor.id));
    await writeAudit(tx, { actorId: actor.id, action: "user.set_locale", entityType: "user", entityId: actor.id, unitId: actor.unitId, before, after: { locale } });
    return { ok: true as const };
  });
}
