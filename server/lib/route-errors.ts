import { AppError, APP_ERROR_CODES } from "./errors";
import { translate, type TLocale } from "./i18n";
import { logger } from "./logger";

const HTTP: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHORIZED: 401, CONFLICT: 409, PRECONDITION_FAILED: 412, BAD_REQUEST: 400, TOO_MANY_REQUESTS: 429 };

/** An error from a service as the JSON answer of a file route: localised, never a stack. */
export function errorResponse(err: unknown, locale: TLocale) {
  if (err instanceof AppError) {
    const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [k, translate(locale, v.key, v.values)]));
    return Response.json(
      { error: translate(locale, err.msg.key, err.msg.values), fields },
      { status: HTTP[APP_ERROR_CODES[err.code]] ?? 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  logger.error({ err }, "route failed");
  return Response.json({ error: translate(locale, "errors.internal") }, { status: 500, headers: { "Cache-Control": "no-store" } });
}
