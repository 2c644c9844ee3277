import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { dec, formatMoney, type TLocale } from "@/lib/money";
import { Card, CardHeader, EmptyState } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";
import { loadHeadline } from "./data";
import { drill, rangeParam, type TDashParams } from "./params";

/** The review-meeting table: the child units with the same figures, ranked by domestic funds. */
export async function Ranking({ p }: { p: TDashParams }) {
  const h = await loadHeadline(p.unit, p.from, p.to, p.asOf?.toISOString() ?? null);
  const t = await getTranslations("dashboard");
  const locale = (await getLocale()) as TLocale;
  // exact decimal comparison: two amounts a float cannot tell apart still rank in order
  const rows = [...h.children].sort((a, b) => dec(b.domestic.funds).cmp(a.domestic.funds) || a.unit.localeCompare(b.unit));
  const funded = rangeParam(p.from, p.to);
  const pct = (v: string | null, signed = false) => (v === null ? "—" : `${signed && dec(v).gt(0) ? "+" : ""}${v}%`);
  const tone = (v: string | null) => (v === null ? "text-slate-400" : dec(v).lt(0) ? "text-red-600" : "text-emerald-700");
  return (
    <Card>
      <CardHeader title={t("ranking")} description={t("rankingHint")} />
      {rows.length === 0 ? (
        <EmptyState title={t("noChildren")} />
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="ranking-table">
            <thead className="bg-slate-50 text-right text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2.5 text-center font-medium">{t("rank")}</th>
                <th className="px-3 py-2.5 text-left font-medium">{t("unit")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("domesticFunds")}</th>
                <th className="px-3 py-2.5 font-medium">{t("yoy")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("progress")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("aheadShort")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("oopFunds")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("foreignFunds")}</th>
                <th className="px-3 py-2.5 font-medium">{t("yoy")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("signedShort")}</th>
                <th className="px-3 py-2.5 font-medium whitespace-nowrap">{t("pendingShort")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 text-right tabular">
              {rows.map((c, i) => (
                <tr key={c.unit} className="hover:bg-slate-50/80">
                  <td className="px-3 py-2 text-center text-slate-500">{i + 1}</td>
                  <td className="px-3 py-2 text-left whitespace-nowrap">
                    <Link href={`/dashboard?${new URLSearchParams({ unit: c.unit, from: p.from, to: p.to, ...(p.asOf ? { asOf: p.asOf.toISOString() } : {}) })}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                      {c.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Link href={drill(c.unit, { capital: "domestic", funded })} className="hover:text-brand-700 hover:underline" title={c.domestic.funds}>
                      {formatMoney(c.domestic.funds, "CNY", locale)}
                    </Link>
                    <div className="text-[11px] text-slate-400">{t("nProjects", { n: c.domestic.projects })}</div>
                  </td>
                  <td className={cn("px-3 py-2", tone(c.domestic.funds_yoy_pct))}>{pct(c.domestic.funds_yoy_pct, true)}</td>
                  <td className="px-3 py-2">{pct(c.domestic.target_progress_pct)}</td>
                  <td className={cn("px-3 py-2 font-medium", tone(c.domestic.ahead_pct))}>{pct(c.domestic.ahead_pct, true)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Link href={drill(c.unit, { capital: "domestic", origin: "out_of_province", funded })} className="hover:text-brand-700 hover:underline">
                      {formatMoney(c.out_of_province.funds, "CNY", locale)}
                    </Link>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Link href={drill(c.unit, { capital: "foreign", funded })} className="hover:text-brand-700 hover:underline">
                      {formatMoney(c.foreign.funds, "USD", locale)}
                    </Link>
                  </td>
                  <td className={cn("px-3 py-2", tone(c.foreign.funds_yoy_pct))}>{pct(c.foreign.funds_yoy_pct, true)}</td>
                  <td className="px-3 py-2"><Link href={drill(c.unit, { signed: funded })} className="hover:text-brand-700 hover:underline">{c.signed.projects}</Link></td>
                  <td className="px-3 py-2"><Link href={drill(c.unit, { pending: funded })} className="hover:text-brand-700 hover:underline">{c.pending.tranches}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
