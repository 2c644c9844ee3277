import { bigint, index, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// pending: the password is being checked (counts as a failure until resolved, so concurrent
// guesses cannot slip past the limit); throttled: refused unchecked while a limit holds.
export const LOGIN_OUTCOMES = ["pending", "failure", "success", "throttled"] as const;
export type TLoginOutcome = (typeof LOGIN_OUTCOMES)[number];
export const loginOutcomeEnum = pgEnum("login_outcome", LOGIN_OUTCOMES);

// Sign-in attempts, kept in the database so every app server sees the same limits
// (server/auth/sign-in-limits.ts). Pruned after a day.
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // the normalised email as typed — also for emails with no account, so an unknown email is
    // limited exactly like a known one and the answers cannot tell them apart
    accountKey: text("account_key").notNull(),
    ip: text("ip"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    outcome: loginOutcomeEnum("outcome").notNull(),
  },
  (t) => [
    index("login_attempts_account_idx").on(t.accountKey, t.at),
    index("login_attempts_ip_idx").on(t.ip, t.at),
    index("login_attempts_at_idx").on(t.at),
  ],
);
