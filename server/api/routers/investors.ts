import { z } from "zod";
import { can, createTRPCRouter } from "@/server/api/trpc";
import {
  addContact, findInvestorDuplicates, getInvestor, removeContact, searchInvestors, updateContact, updateInvestor,
  ZAddContact, ZUpdateContact, ZUpdateInvestor,
} from "@/server/investors/investors";
import { ZVersion } from "@/server/lib/versioned-update";
import { ZIdInput } from "./units";

const ZVersioned = z.object({ id: z.uuid(), version: ZVersion });

export const investorsRouter = createTRPCRouter({
  search: can("investor.read")
    .input(z.object({ q: z.string().max(100).default(""), limit: z.number().int().min(1).max(50).default(10) }))
    .query(({ ctx, input }) => searchInvestors(ctx.db, ctx.actor, input.q, input.limit)),
  duplicates: can("investor.read")
    .input(z.object({ name: z.string().max(100), creditCode: z.string().max(30).nullish(), excludeId: z.uuid().optional() }))
    .query(({ ctx, input }) => findInvestorDuplicates(ctx.db, ctx.actor, input)),
  get: can("investor.read").input(ZIdInput).query(({ ctx, input }) => getInvestor(ctx.db, ctx.actor, input.id)),
  update: can("investor.write").input(ZUpdateInvestor).mutation(({ ctx, input }) => updateInvestor(ctx.db, ctx.actor, input)),
  addContact: can("investor.write").input(ZAddContact).mutation(({ ctx, input }) => addContact(ctx.db, ctx.actor, input)),
  updateContact: can("investor.write").input(ZUpdateContact).mutation(({ ctx, input }) => updateContact(ctx.db, ctx.actor, input)),
  removeContact: can("investor.write").input(ZVersioned).mutation(({ ctx, input }) => removeContact(ctx.db, ctx.actor, input)),
});
