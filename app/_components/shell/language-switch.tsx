"use client";
import { useLocale } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { useMutation } from "@tanstack/react-query";
import { cn } from "../ui/cn";

const OPTIONS = [
  { locale: "zh-CN", label: "中文" },
  { locale: "en", label: "EN" },
] as const;

/** 简体中文 / English. The choice lives in a cookie (and the user's profile when signed in). */
export function LanguageSwitch({ signedIn, dark = false }: { signedIn: boolean; dark?: boolean }) {
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const save = useMutation(trpc.me.setLocale.mutationOptions());
  const [pending, start] = useTransition();

  function choose(next: "zh-CN" | "en") {
    if (next === locale) return;
    document.cookie = `NEXT_LOCALE=${next}; path=/; max-age=31536000; samesite=lax`;
    if (signedIn) save.mutate({ locale: next });
    start(() => router.refresh());
  }

  return (
    <div role="group" aria-label="Language / 语言" className={cn("inline-flex rounded-md p-0.5 text-xs ring-1", dark ? "ring-white/20" : "ring-slate-200", pending && "opacity-60")}>
      {OPTIONS.map((o) => (
        <button
          key={o.locale}
          type="button"
          lang={o.locale}
          aria-pressed={locale === o.locale}
          data-testid={`lang-${o.locale}`}
          onClick={() => choose(o.locale)}
          className={cn(
            "rounded px-2 py-1 font-medium",
            locale === o.locale ? (dark ? "bg-white/15 text-white" : "bg-brand-600 text-white") : dark ? "text-slate-300 hover:text-white" : "text-slate-600 hover:bg-slate-100",
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
