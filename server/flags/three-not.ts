// 三未项目 (signed, then not registered / not started / not funded after N days): the one definition,
// read by the integrity flag (rules.ts) and by the follow-ups list (server/activities/follow-ups.ts).
// SQL over a `projects` row aliased `p`; which items apply is named by lib/flags threeNotItems.
import { sql, type SQL } from "drizzle-orm";
import { tranches } from "@/db/schema";

/** Verified funds in place: only verified tranches count, like in the official figures. */
export const hasVerifiedFundsSql = sql`exists (select 1 from ${tranches} vt where vt.project_id = p.id and vt.status = 'verified')`;

/**
 * Signed (stage signed or funds, not lost) more than `days` days before `today` and still missing
 * one of registration, construction start or verified funds. Exactly `days` after signing is not yet.
 */
export function isThreeNotSql(days: number, today: string): SQL<boolean> {
  return sql<boolean>`(p.stage in ('signed', 'funds') and p.status <> 'lost' and p.signed_on is not null
    and ${today}::date - p.signed_on > ${days}::int
    and (p.registered_on is null or p.construction_on is null or not ${hasVerifiedFundsSql}))`;
}

/** The columns threeNotItems needs: registered_on, construction_on, funded. */
export const threeNotColumns = sql`p.registered_on::text as registered_on, p.construction_on::text as construction_on, ${hasVerifiedFundsSql} as funded`;

export type TThreeNotColumns = { registered_on: string | null; construction_on: string | null; funded: boolean };
