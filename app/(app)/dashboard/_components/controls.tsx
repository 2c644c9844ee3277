"use client";
import { CalendarClock, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { describePeriod, monthPeriod, quarterPeriod, yearPeriod, ytdPeriod } from "@/lib/periods";
import { todayCN } from "@/lib/dates";
import { Button } from "@/app/_components/ui/button";
import { Input, Select } from "@/app/_components/ui/form";
import { cn } from "@/app/_components/ui/cn";

type TKind = "ytd" | "year" | "quarter" | "month" | "custom";

/** Unit, period (year, quarter, month, year to date, custom) and "as of" — all written to the URL. */
export function DashboardControls({ unit, from, to, asOf, units }: { unit: string; from: string; to: string; asOf: string | null; units: Array<{ code: string; name: string; depth: number }> }) {
  const t = useTranslations("dashboard");
  const router = useRouter();
  const pathname = usePathname();
  const [pending, start] = useTransition();
  const today = todayCN();
  const d = describePeriod({ from, to });
  const isYtd = from === `${today.slice(0, 4)}-01-01` && to === today;
  const [kind, setKind] = useState<TKind>(isYtd ? "ytd" : d.kind);
  const [year, setYear] = useState(d.year);
  const [n, setN] = useState(d.n ?? 1);
  const [custom, setCustom] = useState({ from, to });
  // datetime-local shows the browser's local time
  const toLocalInput = (iso: string) => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16); };
  const [asOfDraft, setAsOfDraft] = useState(asOf ? toLocalInput(asOf) : "");
  const thisYear = Number(today.slice(0, 4));
  // ten years back, and always the years of the period in the URL (a link to 2017 shows 2017)
  const shown = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
  const newest = Math.max(thisYear, ...shown);
  const oldest = Math.min(thisYear - 9, ...shown);
  const years = Array.from({ length: newest - oldest + 1 }, (_, i) => newest - i);

  function go(q: { unit?: string; from?: string; to?: string; asOf?: string | null }) {
    const s = new URLSearchParams({ unit: q.unit ?? unit, from: q.from ?? from, to: q.to ?? to });
    const a = q.asOf === undefined ? asOf : q.asOf;
    if (a) s.set("asOf", a);
    start(() => router.push(`${pathname}?${s}`));
  }
  function apply(k = kind, y = year, m = n) {
    const p =
      k === "ytd" ? ytdPeriod(today) : k === "year" ? yearPeriod(y) : k === "quarter" ? quarterPeriod(y, m) : k === "month" ? monthPeriod(y, m) : custom;
    if (p.from > p.to) return;
    go(p);
  }

  return (
    <div className={cn("flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200", pending && "opacity-70")} data-testid="dashboard-controls">
      <Select aria-label={t("unit")} className="w-auto" value={unit} onChange={(e) => go({ unit: e.target.value })} data-testid="dash-unit">
        {units.map((u) => <option key={u.code} value={u.code}>{`${"\u3000".repeat(u.depth)}${u.name}`}</option>)}
      </Select>
      <Select aria-label={t("periodKind")} className="w-auto" value={kind} onChange={(e) => { const k = e.target.value as TKind; setKind(k); if (k !== "custom") apply(k, year, k === "quarter" ? Math.min(n, 4) : n); }} data-testid="dash-period-kind">
        {(["ytd", "year", "quarter", "month", "custom"] as const).map((k) => <option key={k} value={k}>{t(`period.${k}`)}</option>)}
      </Select>
      {(kind === "year" || kind === "quarter" || kind === "month") && (
        <Select aria-label={t("period.year")} className="w-auto" value={year} onChange={(e) => { setYear(Number(e.target.value)); apply(kind, Number(e.target.value), n); }} data-testid="dash-year">
          {years.map((y) => <option key={y} value={y}>{t("yearLabel", { year: y })}</option>)}
        </Select>
      )}
      {kind === "quarter" && (
        <Select aria-label={t("period.quarter")} className="w-auto" value={n} onChange={(e) => { setN(Number(e.target.value)); apply(kind, year, Number(e.target.value)); }} data-testid="dash-quarter">
          {[1, 2, 3, 4].map((q) => <option key={q} value={q}>{t("quarterLabel", { q })}</option>)}
        </Select>
      )}
      {kind === "month" && (
        <Select aria-label={t("period.month")} className="w-auto" value={n} onChange={(e) => { setN(Number(e.target.value)); apply(kind, year, Number(e.target.value)); }}>
          {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => <option key={m} value={m}>{t("monthLabel", { m })}</option>)}
        </Select>
      )}
      {kind === "custom" && (
        <>
          <Input type="date" aria-label={t("from")} className="w-auto" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          <span className="pb-2 text-slate-400">–</span>
          <Input type="date" aria-label={t("to")} className="w-auto" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          <Button onClick={() => apply()} disabled={!custom.from || !custom.to || custom.from > custom.to}>{t("apply")}</Button>
        </>
      )}
      <div className="ml-auto flex items-end gap-2">
        <label className="text-xs text-slate-500">
          <span className="mb-1 flex items-center gap-1"><CalendarClock className="size-3.5" aria-hidden />{t("asOf")}</span>
          <Input type="datetime-local" value={asOfDraft} onChange={(e) => setAsOfDraft(e.target.value)} className="w-auto" data-testid="dash-asof" />
        </label>
        <Button onClick={() => go({ asOf: asOfDraft ? new Date(asOfDraft).toISOString() : null })} disabled={!asOfDraft}>{t("apply")}</Button>
        {asOf && (
          <Button variant="ghost" onClick={() => { setAsOfDraft(""); go({ asOf: null }); }} aria-label={t("clearAsOf")}>
            <X className="size-4" aria-hidden />
          </Button>
        )}
      </div>
    </div>
  );
}
