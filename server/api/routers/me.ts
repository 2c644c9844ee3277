import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { getSettings } from "@/server/settings/settings";
import { changeOwnPassword, setOwnLocale, ZChangePassword } from "@/server/users/users";

export const meRouter = createTRPCRouter({
  // the signed-in user (every page that calls it is behind the sign-in; signed out: UNAUTHORIZED)
  get: can("self.read").query(({ ctx }) => ctx.actor),
  settings: can("self.update").query(({ ctx }) => getSettings(ctx.db)),
  setLocale: can("self.update")
    .input(z.object({ locale: z.enum(["zh-CN", "en"]) }))
    .mutation(({ ctx, input }) => setOwnLocale(ctx.db, ctx.actor, input.locale)),
  changePassword: can("self.update").input(ZChangePassword).mutation(({ ctx, input }) => changeOwnPassword(ctx.db, ctx.actor, input)),
});
