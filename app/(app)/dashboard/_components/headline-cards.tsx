import { ArrowDownRight, ArrowUpRight } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import type { TFigureBlock, THeadline } from "@/server/figures/headline";
import { dec, formatMoney, type TLocale } from "@/lib/money";
import { Card } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";
import { loadHeadline } from "./data";
import { drill, rangeParam, type TDashParams } from "./params";

export function Yoy({ value, label }: { value: string | null; label: string }) {
  if (value === null) return <span className="text-xs text-slate-400">{label} —</span>;
  const up = dec(value).gte(0);
  const Icon = up ? ArrowUpRight : ArrowDownRight;
  return (
    <span className={cn("inline-flex items-center gap-0.5 text-xs font-medium", up ? "text-emerald-700" : "text-red-600")} data-testid="yoy">
      {label}
      <Icon className="size-3.5" aria-hidden />
      {up ? "+" : ""}
      {value}%
    </span>
  );
}

/** Progress against the annual target, with the share of the year elapsed as a marker. */
export function TargetBar({ progress, schedule, ahead, label }: { progress: string | null; schedule: string; ahead: string | null; label: string }) {
  const pct = Math.min(100, Number(progress ?? 0));
  const behind = ahead !== null && dec(ahead).lt(0);
  return (
    <div>
      <div className="relative h-2 overflow-hidden rounded-full bg-slate-100" role="img" aria-label={label}>
        <div className={cn("h-full rounded-full", behind ? "bg-amber-500" : "bg-emerald-500")} style={{ width: `${pct}%` }} />
        <div className="absolute top-0 h-full w-0.5 bg-slate-700" style={{ left: `${Math.min(100, Number(schedule))}%` }} aria-hidden />
      </div>
    </div>
  );
}

async function FigureCard({ title, block, h, p, drillQuery, testId }: { title: string; block: TFigureBlock; h: THeadline; p: TDashParams; drillQuery: Record<string, string>; testId: string }) {
  const t = await getTranslations("dashboard");
  const locale = (await getLocale()) as TLocale;
  const fundsLink = drill(h.unit, { ...drillQuery, funded: rangeParam(p.from, p.to) });
  const behind = block.ahead_pct !== null && dec(block.ahead_pct).lt(0);
  return (
    <Card className="flex flex-col p-5" data-testid={testId}>
      <h2 className="text-sm font-medium text-slate-600">{title}</h2>
      <Link href={fundsLink} className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 tabular hover:text-brand-700" title={`${block.currency} ${block.funds}`} data-testid="funds">
        {formatMoney(block.funds, block.currency, locale)}
      </Link>
      <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
        <Yoy value={block.funds_yoy_pct} label={t("yoy")} />
        <span className="text-xs text-slate-400">{t("lastYear", { v: formatMoney(block.prev_funds, block.currency, locale) })}</span>
      </div>
      <div className="mt-3 flex items-baseline justify-between border-t border-slate-100 pt-3 text-sm">
        <Link href={fundsLink} className="text-slate-700 hover:text-brand-700" data-testid="projects">
          {t("projectsIntroduced")} <strong className="text-base text-slate-900 tabular">{block.projects}</strong> {t("unitProjects")}
        </Link>
        <Yoy value={block.projects_yoy_pct} label={t("yoy")} />
      </div>
      <div className="mt-3 border-t border-slate-100 pt-3">
        {block.target ? (
          <>
            <div className="mb-1.5 flex items-baseline justify-between text-xs">
              <span className="text-slate-600">
                {t("ofTarget")} <strong className="text-sm text-slate-900 tabular" data-testid="target-progress">{block.target_progress_pct}%</strong>
              </span>
              <span className={cn("font-medium", behind ? "text-amber-700" : "text-emerald-700")} data-testid="ahead">
                {block.ahead_pct !== null && (behind ? t("behind", { pts: block.ahead_pct.replace("-", "") }) : t("ahead", { pts: block.ahead_pct }))}
              </span>
            </div>
            <TargetBar progress={block.target_progress_pct} schedule={h.schedule_pct} ahead={block.ahead_pct} label={t("ofTarget")} />
            <p className="mt-1.5 text-[11px] text-slate-500">
              {t("targetLine", { target: formatMoney(block.target, block.currency, locale), ytd: formatMoney(block.ytd_funds, block.currency, locale), schedule: h.schedule_pct })}
            </p>
          </>
        ) : (
          <p className="text-xs text-slate-400">{t("noTarget")}</p>
        )}
      </div>
    </Card>
  );
}

export async function HeadlineCards({ p }: { p: TDashParams }) {
  const h = await loadHeadline(p.unit, p.from, p.to, p.asOf?.toISOString() ?? null);
  const t = await getTranslations("dashboard");
  const locale = (await getLocale()) as TLocale;
  return (
    <div className="space-y-4">
      <div className="grid gap-4 lg:grid-cols-3">
        <FigureCard title={t("domestic")} block={h.domestic} h={h} p={p} drillQuery={{ capital: "domestic" }} testId="card-domestic" />
        <FigureCard title={t("foreign")} block={h.foreign} h={h} p={p} drillQuery={{ capital: "foreign" }} testId="card-foreign" />
        <FigureCard title={t("outOfProvince")} block={h.out_of_province} h={h} p={p} drillQuery={{ capital: "domestic", origin: "out_of_province" }} testId="card-oop" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card className="p-5" data-testid="card-signed">
          <h2 className="text-sm font-medium text-slate-600">{t("signed")}</h2>
          <div className="mt-2 flex flex-wrap items-baseline gap-x-6 gap-y-1">
            <Link href={drill(h.unit, { signed: rangeParam(p.from, p.to) })} className="text-2xl font-semibold text-slate-900 tabular hover:text-brand-700" data-testid="signed-count">
              {h.signed.projects} <span className="text-sm font-normal text-slate-500">{t("unitProjects")}</span>
            </Link>
            <span className="text-sm text-slate-600">
              {t("domesticShort")} {formatMoney(h.signed.domestic_amount, "CNY", locale)} · {t("foreignShort")} {formatMoney(h.signed.foreign_amount, "USD", locale)}
            </span>
          </div>
          <p className="mt-2 text-xs text-slate-500" data-testid="funds-rate">
            {t("fundsRate", { domestic: h.signed.domestic_funds_rate_pct ?? "—", foreign: h.signed.foreign_funds_rate_pct ?? "—" })}
            {h.signed.target && <> · {t("signedTarget", { target: h.signed.target, pct: h.signed.target_progress_pct ?? "—" })}</>}
          </p>
        </Card>
        <Card className="p-5" data-testid="card-pending">
          <h2 className="text-sm font-medium text-slate-600">{t("pending")}</h2>
          <div className="mt-2 flex flex-wrap items-baseline gap-x-6 gap-y-1">
            <Link href={drill(h.unit, { pending: rangeParam(p.from, p.to) })} className="text-2xl font-semibold text-slate-900 tabular hover:text-brand-700" data-testid="pending-count">
              {h.pending.tranches} <span className="text-sm font-normal text-slate-500">{t("unitTranches")}</span>
            </Link>
            <span className="text-sm text-slate-600">
              {t("domesticShort")} {formatMoney(h.pending.domestic_amount, "CNY", locale)} · {t("foreignShort")} {formatMoney(h.pending.foreign_amount, "USD", locale)}
            </span>
          </div>
          <p className="mt-2 text-xs text-slate-500">
            {t("pendingHint")} <Link href="/verification" className="text-brand-700 hover:underline">{t("toQueue")}</Link>
          </p>
        </Card>
      </div>
    </div>
  );
}
