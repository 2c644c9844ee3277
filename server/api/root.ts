import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { activitiesRouter } from "./routers/activities";
import { boardRouter } from "./routers/board";
import { auditRouter } from "./routers/audit";
import { figuresRouter } from "./routers/figures";
import { flagsRouter } from "./routers/flags";
import { fundsRouter } from "./routers/funds";
import { investorsRouter } from "./routers/investors";
import { locksRouter } from "./routers/locks";
import { meRouter } from "./routers/me";
import { projectsRouter } from "./routers/projects";
import { settingsRouter } from "./routers/settings";
import { targetsRouter } from "./routers/targets";
import { unitsRouter } from "./routers/units";
import { usersRouter } from "./routers/users";
import { viewsRouter } from "./routers/views";

export const appRouter = createTRPCRouter({
  me: meRouter,
  units: unitsRouter,
  users: usersRouter,
  views: viewsRouter,
  investors: investorsRouter,
  projects: projectsRouter,
  funds: fundsRouter,
  targets: targetsRouter,
  figures: figuresRouter,
  activities: activitiesRouter,
  board: boardRouter,
  flags: flagsRouter,
  locks: locksRouter,
  audit: auditRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
