import { translate, type TLocale } from "@/server/lib/i18n";
import type { TImportResult } from "./import-file";

/** An import result with its error messages in the user's language. */
export function localizeImportResult(r: TImportResult, locale: TLocale) {
  return { ...r, errors: r.errors.map((e) => ({ row: e.row, column: e.column, message: translate(locale, e.message.key, e.message.values) })) };
}
export type TLocalizedImportResult = ReturnType<typeof localizeImportResult>;
