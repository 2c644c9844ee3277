import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { createProject } from "@/server/projects/create-project";
import { findProjects, ZFindProjects } from "@/server/projects/find-projects";
import { getProject } from "@/server/projects/get-project";
import { moveProjectStage } from "@/server/projects/move-project-stage";
import { ZCreateProject, ZMoveStage, ZUpdateProject } from "@/server/projects/project-fields";
import { deleteProject, updateProject } from "@/server/projects/update-project";
import { ZVersion } from "@/server/lib/versioned-update";
import { ZIdInput } from "./units";

export const projectsRouter = createTRPCRouter({
  list: can("project.read").input(ZFindProjects).query(({ ctx, input }) => findProjects(ctx.db, ctx.actor, input)),
  get: can("project.read").input(ZIdInput).query(({ ctx, input }) => getProject(ctx.db, ctx.actor, input.id)),
  create: can("project.write").input(ZCreateProject).mutation(({ ctx, input }) => createProject(ctx.db, ctx.actor, input)),
  update: can("project.write").input(ZUpdateProject).mutation(({ ctx, input }) => updateProject(ctx.db, ctx.actor, input)),
  moveStage: can("project.write").input(ZMoveStage).mutation(({ ctx, input }) => moveProjectStage(ctx.db, ctx.actor, input)),
  delete: can("project.delete")
    .input(z.object({ id: z.uuid(), version: ZVersion }))
    .mutation(({ ctx, input }) => deleteProject(ctx.db, ctx.actor, input)),
});
