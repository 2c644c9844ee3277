import { z } from "zod";
import { isAmount } from "@/lib/money";
import { isIsoDate } from "@/lib/dates";
import { CAPITAL_TYPES, INDUSTRIES, SOURCE_CHANNELS, STAGES, STATUSES } from "@/lib/domain";
import { ZInvestorFields } from "@/server/investors/investors";
import { ZVersion } from "@/server/lib/versioned-update";

/** A money amount typed by a user: up to 16 digits and 2 decimals, no sign or exponent. */
export const ZAmount = z
  .string()
  .trim()
  .transform((v) => v.replace(/,/g, ""))
  .refine(isAmount, "errors.amount.format");
export const ZPositiveAmount = ZAmount.refine((v) => !/^0+(\.0+)?$/.test(v), "errors.amount.positive");

export const ZDate = z.string().refine(isIsoDate, "errors.date.format");

export const ZProjectCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,29}$/, "errors.project.codeFormat");

const optionalDate = ZDate.nullish().transform((v) => v ?? null);

export const ZProjectFields = z.object({
  name: z.string().trim().min(2, "errors.project.nameRequired").max(100),
  capitalType: z.enum(CAPITAL_TYPES),
  unitId: z.uuid("errors.project.unitRequired"),
  ownerId: z.uuid().nullish().transform((v) => v ?? null),
  industry: z.enum(INDUSTRIES),
  isEmerging: z.boolean().default(false),
  sourceChannel: z.enum(SOURCE_CHANNELS),
  plannedAmount: ZPositiveAmount,
  notes: z.string().trim().max(2000).nullish().transform((v) => v || null),
  registeredOn: optionalDate,
  constructionOn: optionalDate,
  productionOn: optionalDate,
});

export const ZInvestorChoice = z.union([
  z.object({ investorId: z.uuid() }),
  z.object({ newInvestor: ZInvestorFields, confirmDuplicate: z.boolean().default(false) }),
]);

export const ZCreateProject = ZProjectFields.extend({
  code: ZProjectCode.or(z.literal("")).nullish().transform((v) => v || null),
  investor: ZInvestorChoice,
  stage: z.enum(["contact", "negotiation"]).default("contact"),
  startedOn: ZDate, // business date of the first contact (or of entering negotiation)
  note: z.string().trim().max(2000).nullish(),
});
export type TCreateProject = z.input<typeof ZCreateProject>;

export const ZUpdateProject = ZProjectFields.extend({
  id: z.uuid(),
  version: ZVersion,
  investorId: z.uuid(),
});
export type TUpdateProject = z.input<typeof ZUpdateProject>;

export const ZMoveStage = z.object({
  id: z.uuid(),
  version: ZVersion,
  toStage: z.enum(STAGES),
  toStatus: z.enum(STATUSES),
  businessDate: ZDate,
  note: z.string().trim().max(2000).nullish(),
  reason: z.string().trim().max(2000).nullish(),
  signedAmount: ZAmount.nullish(),
});
export type TMoveStage = z.input<typeof ZMoveStage>;
