import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { ZReportTranche, ZUpdateTranche, ZVerifyTranche } from "@/server/funds/tranche-fields";
import { ZVersion } from "@/server/lib/versioned-update";
import { findProjectTranches, findTrancheQueue, reportTranche, updateTranche, verifyTranche, withdrawTranche } from "@/server/funds/tranches";

const ZVersioned = z.object({ id: z.uuid(), version: ZVersion });

export const fundsRouter = createTRPCRouter({
  byProject: can("tranche.read").input(z.object({ projectId: z.uuid() })).query(({ ctx, input }) => findProjectTranches(ctx.db, ctx.actor, input.projectId)),
  queue: can("tranche.read")
    .input(
      z.object({
        status: z.enum(["pending", "verified", "rejected"]).default("pending"),
        unit: z.string().max(40).optional(),
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => findTrancheQueue(ctx.db, ctx.actor, input)),
  report: can("tranche.report").input(ZReportTranche).mutation(({ ctx, input }) => reportTranche(ctx.db, ctx.actor, input)),
  update: can("tranche.report").input(ZUpdateTranche).mutation(({ ctx, input }) => updateTranche(ctx.db, ctx.actor, input)),
  withdraw: can("tranche.report").input(ZVersioned).mutation(({ ctx, input }) => withdrawTranche(ctx.db, ctx.actor, input)),
  verify: can("tranche.verify").input(ZVerifyTranche).mutation(({ ctx, input }) => verifyTranche(ctx.db, ctx.actor, input)),
});
