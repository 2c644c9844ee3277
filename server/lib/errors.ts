// Domain code throws AppError; the one tRPC error formatter (server/api/trpc.ts) maps the code to
// an HTTP/tRPC code and the message key to the user's language. Never SQL text or stacks.
export const APP_ERROR_CODES = {
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  CONFLICT: "CONFLICT", // stale version: someone else changed the row
  DUPLICATE: "CONFLICT",
  LOCKED: "PRECONDITION_FAILED", // period lock
  INVALID: "BAD_REQUEST",
  TOO_MANY: "TOO_MANY_REQUESTS",
} as const;
export type TAppErrorCode = keyof typeof APP_ERROR_CODES;

export type TMessage = { key: string; values?: Record<string, string | number> };

export class AppError extends Error {
  constructor(
    public readonly code: TAppErrorCode,
    public readonly msg: TMessage,
    /** field → message, for forms */
    public readonly fields?: Record<string, TMessage>,
    /** extra data the client may need (e.g. duplicate candidates already in the user's scope) */
    public readonly data?: Record<string, unknown>,
  ) {
    super(msg.key);
    this.name = "AppError";
  }
}

export const notFound = (entity = "record") => new AppError("NOT_FOUND", { key: "errors.notFound", values: { entity } });
export const staleVersion = () => new AppError("CONFLICT", { key: "errors.staleVersion" });
export const forbidden = () => new AppError("FORBIDDEN", { key: "errors.forbidden" });

/** Field-level validation failure with one or more fields. */
export function invalid(fields: Record<string, string | TMessage>, key = "errors.invalidInput"): AppError {
  const f: Record<string, TMessage> = {};
  for (const [k, v] of Object.entries(fields)) f[k] = typeof v === "string" ? { key: v } : v;
  return new AppError("INVALID", { key }, f);
}
