import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { computeHeadline } from "@/server/figures/headline";
import { computeMonthlyFunds, computePipeline } from "@/server/figures/pipeline";
import { comparePublished, findPublished, publishFigures, ZPublish } from "@/server/figures/publish";
import { ZDate } from "@/server/projects/project-fields";

const ZUnit = z.string().min(2).max(40);
const ZHeadline = z
  .object({ unit: ZUnit, from: ZDate, to: ZDate, asOf: z.date().nullish() })
  .refine((v) => v.from <= v.to, { message: "errors.period.order", path: ["to"] });

export const figuresRouter = createTRPCRouter({
  headline: can("figures.read").input(ZHeadline).query(({ ctx, input }) => computeHeadline(ctx.db, ctx.actor, input)),
  pipeline: can("figures.read").input(z.object({ unit: ZUnit })).query(({ ctx, input }) => computePipeline(ctx.db, ctx.actor, input)),
  monthly: can("figures.read")
    .input(z.object({ unit: ZUnit, year: z.number().int().min(2000).max(2100), asOf: z.date().nullish() }))
    .query(({ ctx, input }) => computeMonthlyFunds(ctx.db, ctx.actor, input)),
  publish: can("figures.publish").input(ZPublish).mutation(({ ctx, input }) => publishFigures(ctx.db, ctx.actor, input)),
  published: can("figures.read")
    .input(z.object({ unit: ZUnit.optional(), from: ZDate.optional(), to: ZDate.optional() }))
    .query(({ ctx, input }) => findPublished(ctx.db, ctx.actor, input)),
  compare: can("figures.read").input(z.object({ id: z.uuid() })).query(({ ctx, input }) => comparePublished(ctx.db, ctx.actor, input.id)),
});
