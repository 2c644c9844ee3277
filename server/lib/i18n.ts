import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";

export const LOCALES = ["zh-CN", "en"] as const;
export type TLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: TLocale = "zh-CN";
export const MESSAGES = { "zh-CN": zhCN, en } as const;

export const isLocale = (v: unknown): v is TLocale => LOCALES.includes(v as TLocale);

type TTranslate = (key: string, values?: Record<string, string | number>) => string;
const translators = new Map<TLocale, TTranslate>();

/** Translate a message key outside React (errors, exports, CLI). Unknown keys come back as-is. */
export function translate(locale: TLocale, key: string, values?: Record<string, string | number>): string {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator({
      locale,
      messages: MESSAGES[locale],
      onError: () => {},
      getMessageFallback: ({ key: k, namespace }) => (namespace ? `${namespace}.${k}` : k),
    }) as unknown as TTranslate;
    translators.set(locale, t);
  }
  return t(key, values);
}
