import { ChevronLeft, ChevronRight } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { PAGE_SIZES, withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { cn } from "@/app/_components/ui/cn";

export async function Pagination({ total, page, pageSize, searchParams }: { total: number; page: number; pageSize: number; searchParams: TSearchParams }) {
  const t = await getTranslations("pagination");
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const link = (p: number) => withParams(searchParams, { page: p === 1 ? null : String(p) });
  const btn = "inline-flex h-8 items-center gap-1 rounded-md px-2.5 text-sm ring-1 ring-inset ring-slate-300";
  return (
    <nav aria-label={t("label")} className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 text-sm text-slate-600">
      <span className="tabular">{t("range", { from, to, total })}</span>
      <div className="flex items-center gap-2">
        <span className="hidden sm:inline">{t("pageSize")}</span>
        {PAGE_SIZES.map((s) => (
          <Link
            key={s}
            href={withParams(searchParams, { size: s === 50 ? null : String(s) })}
            className={cn("rounded px-1.5 py-0.5 tabular", s === pageSize ? "bg-brand-50 font-medium text-brand-700" : "hover:bg-slate-100")}
            aria-current={s === pageSize ? "true" : undefined}
          >
            {s}
          </Link>
        ))}
        <span className="mx-2 tabular">{t("page", { page, pages })}</span>
        {page > 1 ? (
          <Link href={link(page - 1)} className={cn(btn, "hover:bg-slate-50")} rel="prev">
            <ChevronLeft className="size-4" aria-hidden />
            {t("prev")}
          </Link>
        ) : (
          <span className={cn(btn, "text-slate-300")} aria-disabled>
            <ChevronLeft className="size-4" aria-hidden />
            {t("prev")}
          </span>
        )}
        {page < pages ? (
          <Link href={link(page + 1)} className={cn(btn, "hover:bg-slate-50")} rel="next" data-testid="next-page">
            {t("next")}
            <ChevronRight className="size-4" aria-hidden />
          </Link>
        ) : (
          <span className={cn(btn, "text-slate-300")} aria-disabled>
            {t("next")}
            <ChevronRight className="size-4" aria-hidden />
          </span>
        )}
      </div>
    </nav>
  );
}
