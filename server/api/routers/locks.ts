import { can, createTRPCRouter } from "@/server/api/trpc";
import { findLocks } from "@/server/locks/find-locks";
import { ZFindLocks, ZLockPeriod, ZReopenLock } from "@/server/locks/lock-fields";
import { lockPeriod } from "@/server/locks/lock-period";
import { reopenLock } from "@/server/locks/reopen-lock";

export const locksRouter = createTRPCRouter({
  list: can("period.read").input(ZFindLocks).query(({ ctx, input }) => findLocks(ctx.db, ctx.actor, input)),
  lock: can("period.lock").input(ZLockPeriod).mutation(({ ctx, input }) => lockPeriod(ctx.db, ctx.actor, input)),
  reopen: can("period.reopen").input(ZReopenLock).mutation(({ ctx, input }) => reopenLock(ctx.db, ctx.actor, input)),
});
