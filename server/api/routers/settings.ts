import { can, createTRPCRouter } from "@/server/api/trpc";
import { findSettings, setSetting, ZSetSetting } from "@/server/settings/settings";

export const settingsRouter = createTRPCRouter({
  list: can("settings.manage").query(({ ctx }) => findSettings(ctx.db)),
  set: can("settings.manage").input(ZSetSetting).mutation(({ ctx, input }) => setSetting(ctx.db, ctx.actor, input)),
});
