import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { createUnit, findUnits, updateUnit, ZCreateUnit, ZUpdateUnit } from "@/server/units/units";

export const unitsRouter = createTRPCRouter({
  list: can("unit.read").query(({ ctx }) => findUnits(ctx.db, ctx.actor)),
  create: can("unit.manage").input(ZCreateUnit).mutation(({ ctx, input }) => createUnit(ctx.db, ctx.actor, input)),
  update: can("unit.manage").input(ZUpdateUnit).mutation(({ ctx, input }) => updateUnit(ctx.db, ctx.actor, input)),
});

export const ZIdInput = z.object({ id: z.uuid() });
