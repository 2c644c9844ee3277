import { Download } from "lucide-react";
import { getTranslations } from "next-intl/server";

/** Downloads of the list as it is filtered now (the scope is applied on the server). */
export async function ExportMenu({ query }: { query: string }) {
  const t = await getTranslations("exportMenu");
  const href = (extra: string) => `/api/export/projects?${[query, extra].filter(Boolean).join("&")}`;
  const link = "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-xs font-medium text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50";
  return (
    <div className="flex flex-wrap items-center gap-1.5" aria-label={t("label")} role="group">
      <Download className="size-3.5 text-slate-400" aria-hidden />
      <a className={link} href={href("format=xlsx&kind=stage-report")} download data-testid="export-stage-report">{t("stageReport")}</a>
      <a className={link} href={href("format=xlsx")} download data-testid="export-xlsx">XLSX</a>
      <a className={link} href={href("format=csv")} download data-testid="export-csv">CSV</a>
    </div>
  );
}
