import { can, createTRPCRouter } from "@/server/api/trpc";
import { findTargets, setTargets, ZFindTargets, ZSetTargets } from "@/server/targets/targets";

export const targetsRouter = createTRPCRouter({
  list: can("target.read").input(ZFindTargets).query(({ ctx, input }) => findTargets(ctx.db, ctx.actor, input)),
  set: can("target.write").input(ZSetTargets).mutation(({ ctx, input }) => setTargets(ctx.db, ctx.actor, input)),
});
