import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { deleteView, findViews, saveView, ZSaveView } from "@/server/views/saved-views";

export const viewsRouter = createTRPCRouter({
  list: can("self.update").query(({ ctx }) => findViews(ctx.db, ctx.actor)),
  save: can("self.update").input(ZSaveView).mutation(({ ctx, input }) => saveView(ctx.db, ctx.actor, input)),
  delete: can("self.update").input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => deleteView(ctx.db, ctx.actor, input)),
});
