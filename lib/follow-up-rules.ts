// Pure rules for daily follow-up that the pages apply. Staleness and 三未 are decided in SQL, each in
// one place (server/projects/project-scope.ts isStaleSql, server/flags/three-not.ts).
import { daysBetween } from "./dates";

export type TDueState = "overdue" | "today" | "soon" | "later";

/** A next step's urgency: overdue, due today, due within `soonDays`, or later. */
export function dueState(dueOn: string, today: string, soonDays = 7): TDueState {
  const d = daysBetween(today, dueOn);
  return d < 0 ? "overdue" : d === 0 ? "today" : d <= soonDays ? "soon" : "later";
}
