import { z } from "zod";
import { PERIOD_KINDS } from "@/lib/domain";
import { isIsoDate } from "@/lib/dates";
import { LOCK_STATUSES } from "@/lib/period-lock";
import { ZVersion } from "@/server/lib/versioned-update";

export const ZLockPeriod = z
  .object({
    unit: z.string().trim().min(1).max(40), // code (or id) of a unit in the actor's scope
    kind: z.enum(PERIOD_KINDS),
    year: z.number().int().min(2000).max(2100),
    n: z.number().int().min(1).max(12), // the month, or the quarter (1–4)
  })
  .refine((v) => v.kind === "month" || v.n <= 4, { path: ["n"], message: "errors.lock.periodNumber" });
export type TLockPeriod = z.input<typeof ZLockPeriod>;

export const ZReopenLock = z.object({
  id: z.uuid(),
  version: ZVersion,
  reason: z.string().trim().min(2, "errors.lock.reasonRequired").max(1000),
});
export type TReopenLock = z.input<typeof ZReopenLock>;

const ZDay = z.string().refine(isIsoDate, "errors.date.format");
export const ZFindLocks = z.object({
  unit: z.string().max(40).optional(),
  // locks whose period overlaps [from, to]
  from: ZDay.optional(),
  to: ZDay.optional(),
  status: z.enum(LOCK_STATUSES).default("all"),
});
export type TFindLocks = z.input<typeof ZFindLocks>;
