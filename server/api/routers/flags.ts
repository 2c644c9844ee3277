import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { ZFlagList, ZReviewFlag } from "@/server/flags/flag-fields";
import { findFlags, findProjectFlags } from "@/server/flags/find-flags";
import { reviewFlag } from "@/server/flags/review-flag";

export const flagsRouter = createTRPCRouter({
  list: can("flag.read").input(ZFlagList).query(({ ctx, input }) => findFlags(ctx.db, ctx.actor, input)),
  forProject: can("flag.read").input(z.object({ projectId: z.uuid() })).query(({ ctx, input }) => findProjectFlags(ctx.db, ctx.actor, input.projectId)),
  review: can("flag.review").input(ZReviewFlag).mutation(({ ctx, input }) => reviewFlag(ctx.db, ctx.actor, input)),
});
