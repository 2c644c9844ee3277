import { can, createTRPCRouter } from "@/server/api/trpc";
import { createUser, findUsers, resetPassword, updateUser, ZCreateUser, ZFindUsers, ZResetPassword, ZUpdateUser } from "@/server/users/users";

export const usersRouter = createTRPCRouter({
  // everyone needs the users of their scope to pick a project owner
  list: can("user.read").input(ZFindUsers).query(({ ctx, input }) => findUsers(ctx.db, ctx.actor, input)),
  create: can("user.manage").input(ZCreateUser).mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  update: can("user.manage").input(ZUpdateUser).mutation(({ ctx, input }) => updateUser(ctx.db, ctx.actor, input)),
  resetPassword: can("user.manage").input(ZResetPassword).mutation(({ ctx, input }) => resetPassword(ctx.db, ctx.actor, input)),
});
