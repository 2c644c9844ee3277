import { getLocale, getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { formatMoney, type TLocale } from "@/lib/money";
import { REVIEW_BLOCKS, REVIEW_FIELDS, reviewTable, type TReviewCell } from "@/lib/review-pack";
import { PrintButton } from "./print-button";
import { parseDashParams } from "../../dashboard/_components/params";

export async function generateMetadata() {
  return { title: (await getTranslations("reports"))("reviewPack") };
}

/** The review-meeting table (调度会材料), laid out for printing on A4 landscape. */
export default async function ReviewPrintPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const api = await serverApi();
  const me = (await api.me.get())!;
  const p = parseDashParams(await searchParams, me.unitCode);
  const h = await api.figures.headline({ unit: p.unit, from: p.from, to: p.to, asOf: p.asOf });
  const t = await getTranslations("reports");
  const tt = await getTranslations("dashboard");
  const tc = await getTranslations("common");
  const locale = (await getLocale()) as TLocale;
  const m = (v: string | null, c: "CNY" | "USD") => (v === null ? "—" : formatMoney(v, c, locale));
  const pct = (v: string | null) => (v === null ? "—" : `${v}%`);
  // ahead (+) or behind (−) the share of the year elapsed
  const ahead = (v: string | null) => (v === null ? "—" : <span className={v.startsWith("-") ? "text-red-700" : "text-emerald-700"}>{v.startsWith("-") ? v : `+${v}`}%</span>);
  const show = (c: TReviewCell) =>
    c.kind === "int" ? c.value : c.kind === "money" ? m(c.value as string | null, c.currency) : c.field === "ahead_pct" ? ahead(c.value as string | null) : pct(c.value as string | null);
  const td = "border border-slate-300 px-1.5 py-1";
  const fieldLabel: Record<TReviewCell["field"], string> = {
    projects: t("projects"), funds: t("funds"), funds_yoy_pct: tt("yoy"), target: t("target"), target_progress_pct: tt("progress"), ahead_pct: tt("aheadShort"),
  };
  return (
    <div className="mx-auto max-w-[1200px] bg-white p-8 print:p-0" data-testid="review-print-page">
      <style>{`@media print { @page { size: A4 landscape; margin: 12mm; } aside, nav, [data-print-hide] { display: none !important; } body { background: white; } main { padding: 0 !important; } }`}</style>
      <div className="mb-4 flex items-start justify-between" data-print-hide>
        <p className="text-sm text-slate-500">{t("printHint")}</p>
        <PrintButton />
      </div>
      <h1 className="text-center text-xl font-bold">{t("printTitle", { unit: h.name })}</h1>
      <p className="mt-1 text-center text-sm text-slate-600">
        {t("printPeriod", { from: h.from, to: h.to, schedule: h.schedule_pct })}
        {h.as_of && ` · ${t("asOf", { at: h.as_of })}`}
      </p>
      <table className="mt-4 w-full border-collapse text-[11px] tabular print:text-[9px]">
        <thead>
          <tr className="bg-slate-100">
            <th rowSpan={2} className={td}>{tt("rank")}</th>
            <th rowSpan={2} className={td}>{tt("unit")}</th>
            {REVIEW_BLOCKS.map(({ block }) => (
              <th key={block} colSpan={REVIEW_FIELDS.length} className={td}>{tt(block === "out_of_province" ? "outOfProvince" : block)}</th>
            ))}
          </tr>
          <tr className="bg-slate-50">
            {REVIEW_BLOCKS.flatMap(({ block }) =>
              REVIEW_FIELDS.map(({ field }) => (
                <th key={`${block}-${field}`} className={`${td} font-medium whitespace-nowrap`}>{fieldLabel[field]}</th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {reviewTable(h).map(({ rank, u, cells }) => (
            <tr key={u.unit} className={rank === null ? "font-semibold" : undefined} data-testid="review-row">
              <td className={`${td} text-center`}>{rank ?? ""}</td>
              <td className={`${td} whitespace-nowrap`}>{rank === null ? tc("withNote", { text: u.name, note: t("total") }) : u.name}</td>
              {cells.map((c) => (
                <td key={`${c.block}-${c.field}`} className={`${td} text-right whitespace-nowrap`}>{show(c)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-[11px] text-slate-500">{t("printFoot", { version: h.definition_version })}</p>
    </div>
  );
}
