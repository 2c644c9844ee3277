import { z } from "zod";
import { FLAG_RULES, FLAG_STATUSES } from "@/lib/flags";

export const ZFlagList = z.object({
  unit: z.string().max(40).optional(),
  rule: z.enum(FLAG_RULES).optional(),
  status: z.enum(FLAG_STATUSES).default("all"),
  projectId: z.uuid().optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const ZReviewFlag = z.object({
  // rule + ids: a few uuids and at most a digest
  key: z.string().min(3).max(4000),
  note: z.string().trim().min(2, "errors.flag.noteRequired").max(1000),
});
export type TReviewFlag = z.input<typeof ZReviewFlag>;
