import { can, createTRPCRouter } from "@/server/api/trpc";
import { findAuditLog, ZFindAuditLog } from "@/server/audit/find-audit-log";
import { findProjectHistory, ZProjectHistory } from "@/server/audit/find-project-history";
import { verifyAuditForActor } from "@/server/audit/verify-audit";

export const auditRouter = createTRPCRouter({
  list: can("audit.read").input(ZFindAuditLog).query(({ ctx, input }) => findAuditLog(ctx.db, ctx.actor, input)),
  // recomputes every hash of the chain: a read, however long
  verify: can("audit.read").query(({ ctx }) => verifyAuditForActor(ctx.db, ctx.actor)),
  // everyone who can read a project reads its history
  projectHistory: can("project.read").input(ZProjectHistory).query(({ ctx, input }) => findProjectHistory(ctx.db, ctx.actor, input)),
});
