// What the crash-consistency test counts after each kill: how much of one import is in the
// database, and whether the audit chain still verifies. Shared by the test (PostgreSQL, queried
// from the test process) and import-child.ts (embedded PGlite, queried from a fresh process).
import { eq, like, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, investors, projects, stageEvents } from "@/db/schema";
import { verifyAuditChain } from "@/server/audit/verify-audit";

export type TCrashState = { projects: number; investors: number; events: number; imports: number; chain: "ok" | string };

export async function crashState(db: Db, prefix: { code: string; investor: string }): Promise<TCrashState> {
  const n = sql<number>`count(*)::int`;
  const [p] = await db.select({ n }).from(projects).where(like(projects.code, `${prefix.code}%`));
  const [inv] = await db.select({ n }).from(investors).where(like(investors.name, `${prefix.investor}%`));
  const [ev] = await db.select({ n }).from(stageEvents).innerJoin(projects, eq(projects.id, stageEvents.projectId)).where(like(projects.code, `${prefix.code}%`));
  const [imp] = await db.select({ n }).from(auditLog).where(eq(auditLog.action, "import.projects"));
  const chain = await verifyAuditChain(db);
  return { projects: p!.n, investors: inv!.n, events: ev!.n, imports: imp!.n, chain: chain.ok ? "ok" : `broken at ${chain.broken.seq}` };
}
