"use client";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dec, formatMoney, type TLocale } from "@/lib/money";
import { cn } from "@/app/_components/ui/cn";

type TSeries = Array<{ month: number; current: string; previous: string }>;

/**
 * Verified funds per month, this year against last; plotted in 亿元/亿美元 (Chinese) or CNY/USD bn
 * (English), the unit named above the axis; exact values in the tooltip.
 */
export function MonthlyChart({ data }: { data: { year: number; domestic: TSeries; foreign: TSeries } }) {
  const t = useTranslations("dashboard");
  const locale = useLocale() as TLocale;
  const [kind, setKind] = useState<"domestic" | "foreign">("domestic");
  const currency = kind === "foreign" ? "USD" : "CNY";
  // plotted values only: figures are never summed from these floats
  const scale = locale === "en" ? 1e9 : 1e8;
  const rows = data[kind].map((m) => ({
    month: locale === "en" ? new Date(Date.UTC(2000, m.month - 1, 1)).toLocaleString("en", { month: "short", timeZone: "UTC" }) : `${m.month}月`,
    current: dec(m.current).div(scale).toNumber(),
    previous: dec(m.previous).div(scale).toNumber(),
    exactCurrent: m.current,
    exactPrevious: m.previous,
  }));
  return (
    <div>
      <div role="tablist" className="mb-3 ml-2 inline-flex rounded-md p-0.5 text-xs ring-1 ring-slate-200">
        {(["domestic", "foreign"] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} onClick={() => setKind(k)} className={cn("rounded px-2.5 py-1", kind === k ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100")}>
            {t(k === "domestic" ? "domesticShort" : "foreignShort")}
          </button>
        ))}
      </div>
      <p className="mb-1 ml-2 text-xs text-slate-500" data-testid="monthly-unit">{t("chartUnit", { unit: currency })}</p>
      <div className="h-64" data-testid="monthly-chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 5, right: 10, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="month" tick={{ fontSize: 12, fill: "#64748b" }} axisLine={false} tickLine={false} />
            <YAxis tick={{ fontSize: 12, fill: "#64748b" }} axisLine={false} tickLine={false} width={48} />
            <Tooltip
              formatter={(_v, name, item) => [formatMoney((item.payload as Record<string, string>)[name === "current" ? "exactCurrent" : "exactPrevious"], currency, locale), name === "current" ? String(data.year) : String(data.year - 1)]}
            />
            <Legend formatter={(v) => (v === "current" ? String(data.year) : String(data.year - 1))} />
            <Bar dataKey="previous" fill="#cbd5e1" radius={[3, 3, 0, 0]} />
            <Bar dataKey="current" fill="#1f5ae0" radius={[3, 3, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
