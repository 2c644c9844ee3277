import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import { computeHeadline } from "@/server/figures/headline";
import { computeMonthlyFunds, computePipeline } from "@/server/figures/pipeline";
import { comparePublished, findPublished, publishFigures, ZPublish } from "@/server/figures/publish";
import { ZDate } from "@/server/projects/project-fields";

const ZUnit = z.string().min(2).max(40);
/** "As of" a moment PostgreSQL can compare with (same years as a business date: 1900–2999). */
const ZAsOf = z.date().min(new Date("1900-01-01T00:00:00Z"), "errors.date.format").max(new Date("2999-12-31T23:59:59Z"), "errors.date.format").nullish();
const ZHeadline = z
  .object({ unit: ZUnit, from: ZDate, to: ZDate, asOf: ZAsOf })
  .refine((v) => v.from <= v.to, { message: "errors.period.order", path: ["to"] });

export const figuresRouter = createTRPCRouter({
  headline: can("figures.read").input(ZHeadline).query(({ ctx, input }) => computeHeadline(ctx.db, ctx.actor, input)),
  pipeline: can("figures.read").input(z.object({ unit: ZUnit })).query(({ ctx, input }) => computePipeline(ctx.db, ctx.actor, input)),
  monthly: can("figures.read")
    .input(z.object({ unit: ZUnit, year: z.number().int().min(2000).max(2100), asOf: ZAsOf }))
    .query(({ ctx, input }) => computeMonthlyFunds(ctx.db, ctx.actor, input)),
  publish: can("figures.publish").input(ZPublish).mutation(({ ctx, input }) => publishFigures(ctx.db, ctx.actor, input)),
  published: can("figures.read")
    .input(z.object({ unit: ZUnit.optional(), from: ZDate.optional(), to: ZDate.optional() }))
    .query(({ ctx, input }) => findPublished(ctx.db, ctx.actor, input)),
  compare: can("figures.read").input(z.object({ id: z.uuid() })).query(({ ctx, input }) => comparePublished(ctx.db, ctx.actor, input.id)),
});
