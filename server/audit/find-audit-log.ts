import { and, count, desc, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { auditLog, units, users } from "@/db/schema";
import { addDays } from "@/lib/dates";
import type { TActor } from "@/server/auth/actor";
import { inScope } from "@/server/auth/scope";
import { ZDate } from "@/server/projects/project-fields";
import { resolveAuditNames } from "./audit-names";

export const AUDIT_PAGE_SIZES = [20, 50, 100] as const;

export const ZFindAuditLog = z
  .object({
    /** a user's id, or "system" for entries written by the installation (CLI, seeding) */
    actor: z.union([z.uuid(), z.literal("system")]).optional(),
    /** an action or its prefix: "tranche" matches tranche.report, tranche.verify, … */
    action: z.string().trim().max(60).optional(),
    entityType: z.string().trim().max(40).optional(),
    entityId: z.string().trim().max(200).optional(),
    /** business dates in China time, both inclusive */
    from: ZDate.optional(),
    to: ZDate.optional(),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(200).default(50),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "errors.period.order", path: ["to"] });
export type TFindAuditLog = z.input<typeof ZFindAuditLog>;

/** A root unit's administrator runs the installation: entries about no unit (seeding, system) are theirs. */
const isRootScope = (actor: Pick<TActor, "unitPath">) => actor.unitPath.split("/").filter(Boolean).length <= 1;

/** Entries about the actor's unit subtree (plus installation-wide ones for a root administrator). */
export function auditInScope(actor: Pick<TActor, "unitPath">): SQL {
  return isRootScope(actor) ? or(inScope(auditLog.unitId, actor), isNull(auditLog.unitId))! : inScope(auditLog.unitId, actor);
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const chinaMidnight = (date: string) => sql`${`${date}T00:00:00+08:00`}::timestamptz`;

export const auditEntryColumns = {
  seq: auditLog.seq,
  at: auditLog.at,
  actorId: auditLog.actorId,
  actorName: users.name,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  unitId: auditLog.unitId,
  before: auditLog.before,
  after: auditLog.after,
};

/** The audit log for the admin page: filtered, newest first, paginated, within the actor's scope. */
export async function findAuditLog(db: Db, actor: Pick<TActor, "unitPath">, input: TFindAuditLog = {}) {
  const f = ZFindAuditLog.parse(input);
  const where: SQL[] = [auditInScope(actor)];
  if (f.actor === "system") where.push(isNull(auditLog.actorId));
  else if (f.actor) where.push(eq(auditLog.actorId, f.actor));
  if (f.action) where.push(sql`${auditLog.action} like ${`${likeEscape(f.action)}%`}`);
  if (f.entityType) where.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) where.push(eq(auditLog.entityId, f.entityId));
  if (f.from) where.push(sql`${auditLog.at} >= ${chinaMidnight(f.from)}`);
  if (f.to) where.push(sql`${auditLog.at} < ${chinaMidnight(addDays(f.to, 1))}`);
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select({ ...auditEntryColumns, unitName: units.name, hash: auditLog.hash })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .leftJoin(units, eq(units.id, auditLog.unitId))
      .where(cond)
      .orderBy(desc(auditLog.seq))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: count() }).from(auditLog).where(cond),
  ]);
  const names = await resolveAuditNames(db, actor, rows);
  return { rows, total: total?.n ?? 0, page: f.page, pageSize: f.pageSize, names };
}
export type TAuditLogPage = Awaited<ReturnType<typeof findAuditLog>>;
