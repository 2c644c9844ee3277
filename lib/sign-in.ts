/**
 * What the credentials sign-in answers (next-auth's `error`) while a sign-in limit holds: thrown
 * by authorize() in server/auth/auth-options.ts, shown as "too many attempts" by the sign-in form.
 * A known and an unknown email are limited alike, so it reveals nothing about the account.
 */
export const SIGN_IN_THROTTLED = "TooManyAttempts";
