import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import {
  addActivity, completeNextStep, deleteActivity, findActivities, updateActivity, ZAddActivity, ZUpdateActivity,
} from "@/server/activities/activities";
import { findFollowUps, ZFollowUps } from "@/server/activities/follow-ups";
import { ZVersion } from "@/server/lib/versioned-update";

const ZVersioned = z.object({ id: z.uuid(), version: ZVersion });

export const activitiesRouter = createTRPCRouter({
  byProject: can("activity.read").input(z.object({ projectId: z.uuid() })).query(({ ctx, input }) => findActivities(ctx.db, ctx.actor, input.projectId)),
  add: can("activity.write").input(ZAddActivity).mutation(({ ctx, input }) => addActivity(ctx.db, ctx.actor, input)),
  update: can("activity.write").input(ZUpdateActivity).mutation(({ ctx, input }) => updateActivity(ctx.db, ctx.actor, input)),
  delete: can("activity.write").input(ZVersioned).mutation(({ ctx, input }) => deleteActivity(ctx.db, ctx.actor, input)),
  completeNextStep: can("activity.write").input(ZVersioned).mutation(({ ctx, input }) => completeNextStep(ctx.db, ctx.actor, input)),
  followUps: can("activity.read").input(ZFollowUps).query(({ ctx, input }) => findFollowUps(ctx.db, ctx.actor, input)),
});
