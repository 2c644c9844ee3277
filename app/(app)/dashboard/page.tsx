import { History } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { serverApi } from "@/app/_lib/trpc/server";
import { Alert, Card, PageHeader } from "@/app/_components/ui/misc";
import { describePeriod } from "@/lib/periods";
import { DashboardControls } from "./_components/controls";
import { HeadlineCards } from "./_components/headline-cards";
import { LocksPanel } from "./_components/locks-panel";
import { Monthly } from "./_components/monthly";
import { parseDashParams } from "./_components/params";
import { PipelinePanel, WatchLists } from "./_components/pipeline-panel";
import { Published } from "./_components/published";
import { Ranking } from "./_components/ranking";
import { FlagsWidget } from "./_components/flags-widget";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("dashboard") };
}

function Skeleton({ h = "h-40", testId }: { h?: string; testId?: string }) {
  return <Card className={`${h} animate-pulse bg-slate-50`} data-testid={testId} aria-busy="true"><span className="sr-only">…</span></Card>;
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const api = await serverApi();
  const [me, units] = await Promise.all([api.me.get(), api.units.list()]);
  const p = parseDashParams(await searchParams, me!.unitCode);
  const unit = units.find((u) => u.code === p.unit);
  const t = await getTranslations("dashboard");
  const locale = await getLocale();
  if (!unit) {
    return (
      <>
        <PageHeader title={t("title")} />
        <Alert testId="dash-not-found">{t("unitNotFound")}</Alert>
      </>
    );
  }
  const d = describePeriod(p);
  const periodLabel =
    d.kind === "year" ? t("yearLabel", { year: d.year }) : d.kind === "quarter" ? `${t("yearLabel", { year: d.year })} ${t("quarterLabel", { q: d.n! })}` : d.kind === "month" ? `${t("yearLabel", { year: d.year })} ${t("monthLabel", { m: d.n! })}` : t("range", { from: p.from, to: p.to });
  const base = units[0]?.depth ?? 0;
  const key = `${p.unit}|${p.from}|${p.to}|${p.asOf?.toISOString() ?? ""}`;
  return (
    <>
      <PageHeader title={t("title")} description={`${unit.name} · ${periodLabel} · ${t("verifiedOnly")}`} />
      <DashboardControls
        key={key}
        unit={p.unit}
        from={p.from}
        to={p.to}
        asOf={p.asOf?.toISOString() ?? null}
        units={units.map((u) => ({ code: u.code, name: u.name, depth: u.depth - base }))}
      />
      {p.invalid.period && (
        <Alert tone="amber" className="mt-4" testId="dash-invalid-period">
          {t("invalidPeriod", { from: p.invalid.period.from, to: p.invalid.period.to })}
        </Alert>
      )}
      {p.invalid.asOf && (
        <Alert tone="amber" className="mt-4" testId="dash-invalid-asof">
          {t("invalidAsOf", { asOf: p.invalid.asOf })}
        </Alert>
      )}
      {p.asOf && (
        <Alert tone="blue" className="mt-4" testId="asof-banner">
          <span className="inline-flex items-center gap-1.5">
            <History className="size-4" aria-hidden />
            {t("asOfBanner", { at: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(p.asOf) })}
          </span>
          <span className="mt-1 block text-xs">{t("asOfCurrentNote")}</span>
        </Alert>
      )}
      <div className="mt-4 space-y-4">
        <Suspense key={`h${key}`} fallback={<div className="grid gap-4 lg:grid-cols-3"><Skeleton h="h-64" testId="loading" /><Skeleton h="h-64" /><Skeleton h="h-64" /></div>}>
          <HeadlineCards p={p} />
        </Suspense>
        <div className="grid gap-4 xl:grid-cols-2">
          <Suspense key={`m${key}`} fallback={<Skeleton h="h-80" />}>
            <Monthly p={p} />
          </Suspense>
          <Suspense key={`p${p.unit}`} fallback={<Skeleton h="h-80" />}>
            <PipelinePanel unit={p.unit} current={!!p.asOf} />
          </Suspense>
        </div>
        <Suspense key={`r${key}`} fallback={<Skeleton h="h-72" />}>
          <Ranking p={p} />
        </Suspense>
        <Suspense key={`l${p.unit}`} fallback={<Skeleton h="h-72" />}>
          <WatchLists unit={p.unit} current={!!p.asOf} />
        </Suspense>
        <Suspense key={`f${p.unit}`} fallback={<Skeleton h="h-28" />}>
          <FlagsWidget unit={p.unit} current={!!p.asOf} />
        </Suspense>
        <Suspense key={`u${key}`} fallback={<Skeleton h="h-24" />}>
          <Published p={p} />
        </Suspense>
        <Suspense key={`k${key}`} fallback={<Skeleton h="h-24" />}>
          <LocksPanel p={p} />
        </Suspense>
      </div>
    </>
  );
}
