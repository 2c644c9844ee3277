"use client";
import { useTranslations } from "next-intl";
import { Button } from "@/app/_components/ui/button";

// Unexpected failures: a calm message and a retry, never a stack trace.
export default function ErrorPage({ reset, error }: { reset: () => void; error: Error & { digest?: string } }) {
  const t = useTranslations("errorPage");
  return (
    <div className="grid min-h-[60vh] place-items-center px-6" data-testid="error-page">
      <div className="text-center">
        <h1 className="text-2xl font-semibold text-slate-900">{t("title")}</h1>
        <p className="mt-2 max-w-md text-sm text-slate-500">{t("body")}</p>
        {error.digest && <p className="mt-2 font-mono text-xs text-slate-400">{t("ref", { digest: error.digest })}</p>}
        <Button variant="primary" className="mt-6" onClick={reset}>
          {t("retry")}
        </Button>
      </div>
    </div>
  );
}
