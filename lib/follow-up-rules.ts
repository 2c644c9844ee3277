// Pure rules for daily follow-up: staleness, next steps due, and 三未 (signed but not registered,
// not started or not funded after N days). The SQL in the services applies the same definitions.
import { addDays, daysBetween } from "./dates";

/** 停滞: an active project before funds whose last activity (or, without one, its stage change) is older than `staleDays`. */
export function isStale(p: { status: string; stage: string; lastActivityOn: string | null; stageSince: string }, staleDays: number, today: string) {
  return p.status === "active" && p.stage !== "funds" && (p.lastActivityOn ?? p.stageSince) < addDays(today, -staleDays);
}

export type TDueState = "overdue" | "today" | "soon" | "later";

/** A next step's urgency: overdue, due today, due within `soonDays`, or later. */
export function dueState(dueOn: string, today: string, soonDays = 7): TDueState {
  const d = daysBetween(today, dueOn);
  return d < 0 ? "overdue" : d === 0 ? "today" : d <= soonDays ? "soon" : "later";
}

export type TThreeNot = "not_registered" | "not_started" | "not_funded";

/** 三未: what a signed project still lacks `days` after signing (empty when on track or too recent). */
export function threeNot(
  p: { stage: string; status: string; signedOn: string | null; registeredOn: string | null; constructionOn: string | null; hasVerifiedFunds: boolean },
  days: number,
  today: string,
): TThreeNot[] {
  if (!p.signedOn || p.status === "lost" || (p.stage !== "signed" && p.stage !== "funds")) return [];
  if (daysBetween(p.signedOn, today) <= days) return [];
  const out: TThreeNot[] = [];
  if (!p.registeredOn) out.push("not_registered");
  if (!p.constructionOn) out.push("not_started");
  if (!p.hasVerifiedFunds) out.push("not_funded");
  return out;
}
