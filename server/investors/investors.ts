import { and, asc, eq, ilike, isNull, not, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { contacts, investors, projects, units } from "@/db/schema";
import { isValidCreditCode, normalizeCreditCode } from "@/lib/credit-code";
import { normalizeInvestorName } from "@/lib/normalize-name";
import { codesFromPath, deriveOriginClass } from "@/lib/origin-class";
import { isCountryCode } from "@/lib/regions";
import type { TActor } from "@/server/auth/actor";
import { inScope } from "@/server/auth/scope";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError, invalid, notFound } from "@/server/lib/errors";
import { escapeLike } from "@/server/lib/sql";
import { updateVersioned, ZVersion } from "@/server/lib/versioned-update";
import { assertUnlocked, projectFigureDates } from "@/server/locks/assert-unlocked";

type TScope = Pick<TActor, "unitPath">;

/**
 * An investor is visible when its creating unit is in scope or one of its live projects is.
 * Investors are legal entities shared by every bureau; what a unit does with them is not.
 */
export function investorVisible(actor: TScope): SQL {
  return sql`(${inScope(investors.ownerUnitId, actor)} or exists (select 1 from ${projects} where ${projects.investorId} = ${investors.id} and ${projects.deletedAt} is null and ${inScope(projects.unitId, actor)}))`;
}

export const ZCreditCode = z
  .string()
  .trim()
  .transform(normalizeCreditCode)
  .refine((v) => v === "" || isValidCreditCode(v), "errors.investor.creditCode");

export const ZInvestorFields = z.object({
  name: z.string().trim().min(2, "errors.investor.nameRequired").max(100),
  creditCode: ZCreditCode.nullish().transform((v) => v || null),
  // domestic: GB/T 2260 code of the province or of a city; foreign: ISO country code
  originRegion: z
    .string()
    .regex(/^\d{6}$/, "errors.investor.origin")
    .nullish()
    .transform((v) => v ?? null),
  originCountry: z
    .string()
    .refine(isCountryCode, "errors.investor.origin")
    .nullish()
    .transform((v) => v ?? null),
});
export type TInvestorFields = z.input<typeof ZInvestorFields>;

export type TDuplicate = { id: string; name: string; creditCode: string | null; reason: "credit_code" | "name" };

/** Investors in scope with the same credit code or the same normalised name. */
export async function findInvestorDuplicates(
  db: Db,
  actor: TScope,
  input: { name: string; creditCode?: string | null; excludeId?: string },
): Promise<TDuplicate[]> {
  const norm = normalizeInvestorName(input.name);
  const code = input.creditCode ? normalizeCreditCode(input.creditCode) : null;
  if (!norm && !code) return [];
  const rows = await db
    .select({ id: investors.id, name: investors.name, creditCode: investors.creditCode, nameNormalized: investors.nameNormalized })
    .from(investors)
    .where(
      and(
        or(norm ? eq(investors.nameNormalized, norm) : undefined, code ? eq(investors.creditCode, code) : undefined),
        input.excludeId ? sql`${investors.id} <> ${input.excludeId}` : undefined,
        investorVisible(actor),
      ),
    )
    .limit(10);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    creditCode: r.creditCode,
    reason: code && r.creditCode === code ? "credit_code" : "name",
  }));
}

export const duplicateError = (candidates: TDuplicate[]) =>
  new AppError("DUPLICATE", { key: "errors.investor.duplicate" }, undefined, { duplicates: candidates });

/**
 * Create an investor inside the caller's transaction. A credit code already registered is the same
 * legal entity: in scope that is a duplicate to resolve; outside scope the existing record is
 * reused without revealing anything about it. A same-name investor in scope needs confirmation.
 */
export async function createInvestorTx(
  tx: Db,
  actor: TActor,
  input: TInvestorFields & { confirmDuplicate?: boolean },
): Promise<{ id: string; created: boolean }> {
  const data = ZInvestorFields.parse(input);
  const dups = await findInvestorDuplicates(tx, actor, data);
  const sameCode = dups.filter((d) => d.reason === "credit_code");
  if (sameCode.length || (dups.length && !input.confirmDuplicate)) throw duplicateError(dups);
  if (data.creditCode) {
    const [existing] = await tx.select({ id: investors.id }).from(investors).where(eq(investors.creditCode, data.creditCode));
    if (existing) return { id: existing.id, created: false };
  }
  const [row] = await tx
    .insert(investors)
    .values({ ...data, nameNormalized: normalizeInvestorName(data.name), ownerUnitId: actor.unitId, createdBy: actor.id })
    .returning();
  await writeAudit(tx, { actorId: actor.id, action: "investor.create", entityType: "investor", entityId: row!.id, unitId: actor.unitId, after: row });
  return { id: row!.id, created: true };
}

/** Autocomplete: investors in scope matching name or credit code. */
export async function searchInvestors(db: Db, actor: TScope, q: string, limit = 10) {
  const term = q.trim();
  const norm = normalizeInvestorName(term);
  return db
    .select({
      id: investors.id,
      name: investors.name,
      creditCode: investors.creditCode,
      originRegion: investors.originRegion,
      originCountry: investors.originCountry,
    })
    .from(investors)
    .where(
      and(
        investorVisible(actor),
        term
          ? or(
              ilike(investors.name, `%${escapeLike(term)}%`),
              norm ? ilike(investors.nameNormalized, `%${escapeLike(norm)}%`) : undefined,
              ilike(investors.creditCode, `${escapeLike(normalizeCreditCode(term))}%`),
            )
          : undefined,
      ),
    )
    .orderBy(asc(investors.name))
    .limit(limit);
}

export async function getInvestor(db: Db, actor: TScope, id: string) {
  const [row] = await db.select().from(investors).where(and(eq(investors.id, id), investorVisible(actor)));
  if (!row) throw notFound("investor");
  const contactRows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.investorId, id), inScope(contacts.ownerUnitId, actor)))
    .orderBy(asc(contacts.name));
  const projectRows = await db
    .select({ id: projects.id, code: projects.code, name: projects.name, stage: projects.stage, status: projects.status, unitName: units.name })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(and(eq(projects.investorId, id), isNull(projects.deletedAt), inScope(projects.unitId, actor)))
    .orderBy(asc(projects.code));
  return { ...row, contacts: contactRows, projects: projectRows };
}

export const ZUpdateInvestor = ZInvestorFields.extend({ id: z.uuid(), version: ZVersion });

/**
 * An investor is one record for every bureau that deals with it: its name, credit code and origin
 * (which decides its projects' origin class) change for all of them at once. So only someone whose
 * scope holds every project of it — deleted ones too, their history shows it — may edit it;
 * anyone else is told so without learning which unit the other projects belong to.
 */
export async function updateInvestor(db: Db, actor: TActor, input: z.input<typeof ZUpdateInvestor>) {
  const data = ZUpdateInvestor.parse(input);
  return db.transaction(async (tx) => {
    const before = await getInvestor(tx, actor, data.id);
    const [elsewhere] = await tx
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.investorId, data.id), not(inScope(projects.unitId, actor))))
      .limit(1);
    if (elsewhere) throw new AppError("FORBIDDEN", { key: "errors.investor.sharedOutsideScope" });
    const dups = await findInvestorDuplicates(tx, actor, { ...data, excludeId: data.id });
    if (dups.some((d) => d.reason === "credit_code")) throw duplicateError(dups);
    if (data.creditCode && data.creditCode !== before.creditCode) {
      const [clash] = await tx.select({ id: investors.id }).from(investors).where(eq(investors.creditCode, data.creditCode));
      if (clash) throw invalid({ creditCode: "errors.investor.creditCodeTaken" });
    }
    const { contacts: _c, projects: _p, ...beforeRow } = before;
    // checked before anything is written: the guard must come before the first audit entry
    const reclassified = data.originRegion !== before.originRegion ? await planReclassification(tx, actor, data.id, data.originRegion) : [];
    const after = await updateVersioned(tx, investors, data.id, data.version, {
      name: data.name,
      nameNormalized: normalizeInvestorName(data.name),
      creditCode: data.creditCode,
      originRegion: data.originRegion,
      originCountry: data.originCountry,
    });
    await writeAudit(tx, { actorId: actor.id, action: "investor.update", entityType: "investor", entityId: data.id, unitId: after.ownerUnitId, before: beforeRow, after });
    for (const { project, originClass } of reclassified) await reclassifyProject(tx, actor, project, originClass);
    return after;
  });
}

/**
 * A corrected origin re-derives the origin class of every project of the investor (all in the
 * actor's scope: see updateInvestor). The class decides which verified funds count as 省外 (out of
 * province): a project whose class changes and that has verified funds in a locked period is refused.
 */
async function planReclassification(tx: Db, actor: TActor, investorId: string, originRegion: string | null) {
  const rows = await tx
    .select({ project: projects, path: units.path })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .where(eq(projects.investorId, investorId));
  const changed = rows
    .map(({ project, path }) => ({ project, originClass: deriveOriginClass({ capitalType: project.capitalType, originRegion, ...codesFromPath(path) }) }))
    .filter((r) => r.originClass !== r.project.originClass);
  const counted = changed.filter((r) => !r.project.deletedAt).map((r) => r.project);
  const dates = await projectFigureDates(tx, counted.map((p) => p.id), { pending: false, signing: false });
  await assertUnlocked(tx, counted.map((p) => ({ unitId: p.unitId, dates: dates.get(p.id)! })), actor);
  return changed;
}

/** Store a project's new origin class (audited with full rows). */
export async function reclassifyProject(tx: Db, actor: { id: string | null }, project: typeof projects.$inferSelect, originClass: ReturnType<typeof deriveOriginClass>) {
  const [after] = await tx
    .update(projects)
    .set({ originClass, version: sql`${projects.version} + 1`, updatedAt: sql`now()` })
    .where(eq(projects.id, project.id))
    .returning();
  // full rows: figures "as of" a moment read a project's attributes from its audit entries
  await writeAudit(tx, { actorId: actor.id, action: "project.reclassify_origin", entityType: "project", entityId: project.id, unitId: project.unitId, before: project, after });
}

export const ZContactFields = z.object({
  name: z.string().trim().min(1).max(60),
  title: z.string().trim().max(60).nullish(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, "errors.contact.phone")
    .or(z.literal(""))
    .nullish(),
  email: z.string().trim().email("errors.email.format").or(z.literal("")).nullish(),
});

export const ZAddContact = ZContactFields.extend({ investorId: z.uuid() });
export async function addContact(db: Db, actor: TActor, input: z.input<typeof ZAddContact>) {
  const data = ZAddContact.parse(input);
  return db.transaction(async (tx) => {
    await getInvestor(tx, actor, data.investorId);
    const [row] = await tx
      .insert(contacts)
      .values({ ...data, title: data.title || null, phone: data.phone || null, email: data.email || null, ownerUnitId: actor.unitId })
      .returning();
    await writeAudit(tx, { actorId: actor.id, action: "contact.create", entityType: "contact", entityId: row!.id, unitId: actor.unitId, after: row });
    return row!;
  });
}

export const ZUpdateContact = ZContactFields.extend({ id: z.uuid(), version: ZVersion });
async function getContact(db: Db, actor: TScope, id: string) {
  const [row] = await db.select().from(contacts).where(and(eq(contacts.id, id), inScope(contacts.ownerUnitId, actor)));
  if (!row) throw notFound("contact");
  return row;
}

export async function updateContact(db: Db, actor: TActor, input: z.input<typeof ZUpdateContact>) {
  const data = ZUpdateContact.parse(input);
  return db.transaction(async (tx) => {
    const before = await getContact(tx, actor, data.id);
    const after = await updateVersioned(tx, contacts, data.id, data.version, {
      name: data.name,
      title: data.title || null,
      phone: data.phone || null,
      email: data.email || null,
    });
    await writeAudit(tx, { actorId: actor.id, action: "contact.update", entityType: "contact", entityId: data.id, unitId: before.ownerUnitId, before, after });
    return after;
  });
}

export async function removeContact(db: Db, actor: TActor, input: { id: string; version: number }) {
  return db.transaction(async (tx) => {
    const before = await getContact(tx, actor, input.id);
    const deleted = await tx
      .delete(contacts)
      .where(and(eq(contacts.id, input.id), eq(contacts.version, input.version)))
      .returning({ id: contacts.id });
    if (!deleted.length) throw new AppError("CONFLICT", { key: "errors.staleVersion" });
    await writeAudit(tx, { actorId: actor.id, action: "contact.delete", entityType: "contact", entityId: input.id, unitId: before.ownerUnitId, before });
    return { ok: true as const };
  });
}
