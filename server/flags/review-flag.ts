import type { Db } from "@/db/client";
import { flagReviews } from "@/db/schema";
import { ruleOfKey } from "@/lib/flags";
import type { TActor } from "@/server/auth/actor";
import { writeAudit, writeTime } from "@/server/audit/write-audit";
import { AppError, notFound } from "@/server/lib/errors";
import { findFlagByKey, type TFlag } from "./find-flags";
import { ZReviewFlag, type TReviewFlag } from "./flag-fields";

/**
 * A leader or admin marks a flag reviewed, with a note. The flag is recomputed and must be one the
 * actor sees right now (anything else is NOT_FOUND, like a missing id); it stays listed, as
 * reviewed. A review is a record of a decision: it is written once, never overwritten. If the rows
 * behind the flag change, its key changes and the new flag is open again.
 */
export async function reviewFlag(db: Db, actor: TActor, input: TReviewFlag, now?: Date): Promise<TFlag> {
  const data = ZReviewFlag.parse(input);
  const rule = ruleOfKey(data.key);
  if (!rule) throw notFound("flag");
  return db.transaction(async (tx) => {
    const found = await findFlagByKey(tx, actor, rule, data.key, now);
    if (!found) throw notFound("flag");
    if (found.flag.review) throw new AppError("CONFLICT", { key: "errors.flag.alreadyReviewed" });
    // two leaders at once: the unique key lets one through, the other gets the same CONFLICT
    const [row] = await tx
      .insert(flagReviews)
      .values({ flagKey: data.key, note: data.note, reviewedBy: actor.id, reviewedAt: writeTime(now) })
      .onConflictDoNothing({ target: flagReviews.flagKey })
      .returning();
    if (!row) throw new AppError("CONFLICT", { key: "errors.flag.alreadyReviewed" });
    const { review: _none, ...flag } = found.flag;
    await writeAudit(tx, {
      actorId: actor.id,
      action: "flag.review",
      entityType: "flag",
      entityId: data.key,
      unitId: found.unitId,
      // what the reviewer saw, beside the review itself
      after: { ...row, flag },
    });
    return { ...found.flag, review: { note: row.note, reviewedBy: actor.name, reviewedAt: row.reviewedAt } } as TFlag;
  });
}
