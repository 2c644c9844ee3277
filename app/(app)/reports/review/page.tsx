import { getLocale, getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { formatMoney, type TLocale } from "@/lib/money";
import type { TUnitFigures } from "@/server/figures/headline";
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
  const locale = (await getLocale()) as TLocale;
  const rows = [...h.children].sort((a, b) => Number(b.domestic.funds) - Number(a.domestic.funds) || a.unit.localeCompare(b.unit));
  const m = (v: string | null, c: "CNY" | "USD") => (v === null ? "—" : formatMoney(v, c, locale));
  const pct = (v: string | null) => (v === null ? "—" : `${v}%`);
  const line = (u: TUnitFigures, rank: number | null) => (
    <tr key={u.unit} className={rank === null ? "font-semibold" : undefined}>
      <td className="border border-slate-300 px-2 py-1 text-center">{rank ?? ""}</td>
      <td className="border border-slate-300 px-2 py-1 whitespace-nowrap">{rank === null ? `${u.name}（${t("total")}）` : u.name}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{u.domestic.projects}</td>
      <td className="border border-slate-300 px-2 py-1 text-right whitespace-nowrap">{m(u.domestic.funds, "CNY")}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{pct(u.domestic.funds_yoy_pct)}</td>
      <td className="border border-slate-300 px-2 py-1 text-right whitespace-nowrap">{m(u.domestic.target, "CNY")}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{pct(u.domestic.target_progress_pct)}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{pct(u.domestic.ahead_pct)}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{u.out_of_province.projects}</td>
      <td className="border border-slate-300 px-2 py-1 text-right whitespace-nowrap">{m(u.out_of_province.funds, "CNY")}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{pct(u.out_of_province.target_progress_pct)}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{u.foreign.projects}</td>
      <td className="border border-slate-300 px-2 py-1 text-right whitespace-nowrap">{m(u.foreign.funds, "USD")}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{pct(u.foreign.funds_yoy_pct)}</td>
      <td className="border border-slate-300 px-2 py-1 text-right">{pct(u.foreign.target_progress_pct)}</td>
    </tr>
  );
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
      <table className="mt-4 w-full border-collapse text-xs tabular">
        <thead>
          <tr className="bg-slate-100">
            <th rowSpan={2} className="border border-slate-300 px-2 py-1">{tt("rank")}</th>
            <th rowSpan={2} className="border border-slate-300 px-2 py-1">{tt("unit")}</th>
            <th colSpan={6} className="border border-slate-300 px-2 py-1">{tt("domestic")}</th>
            <th colSpan={3} className="border border-slate-300 px-2 py-1">{tt("outOfProvince")}</th>
            <th colSpan={4} className="border border-slate-300 px-2 py-1">{tt("foreign")}</th>
          </tr>
          <tr className="bg-slate-50">
            {[t("projects"), t("funds"), tt("yoy"), t("target"), tt("progress"), tt("aheadShort"), t("projects"), t("funds"), tt("progress"), t("projects"), t("funds"), tt("yoy"), tt("progress")].map((x, i) => (
              <th key={i} className="border border-slate-300 px-2 py-1 font-medium whitespace-nowrap">{x}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((u, i) => line(u, i + 1))}
          {line(h, null)}
        </tbody>
      </table>
      <p className="mt-3 text-[11px] text-slate-500">{t("printFoot", { version: h.definition_version })}</p>
    </div>
  );
}
