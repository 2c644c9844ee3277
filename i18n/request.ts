import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, MESSAGES } from "@/server/lib/i18n";

// Locale from the cookie the language switch sets; no locale in the URL.
export default getRequestConfig(async () => {
  const v = (await cookies()).get("NEXT_LOCALE")?.value;
  const locale = isLocale(v) ? v : DEFAULT_LOCALE;
  return { locale, messages: MESSAGES[locale], timeZone: "Asia/Shanghai" };
});
