import { z } from "zod";
import { can, createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { getSettings } from "@/server/settings/settings";
import { changeOwnPassword, setOwnLocale, ZChangePassword } from "@/server/users/users";

export const meRouter = createTRPCRouter({
  // public: answers null when signed out, so the client can tell without an error
  get: publicProcedure.query(({ ctx }) => ctx.actor),
  settings: can("self.update").query(({ ctx }) => getSettings(ctx.db)),
  setLocale: can("self.update")
    .input(z.object({ locale: z.enum(["zh-CN", "en"]) }))
    .mutation(({ ctx, input }) => setOwnLocale(ctx.db, ctx.actor, input.locale)),
  changePassword: can("self.update").input(ZChangePassword).mutation(({ ctx, input }) => changeOwnPassword(ctx.db, ctx.actor, input)),
});
