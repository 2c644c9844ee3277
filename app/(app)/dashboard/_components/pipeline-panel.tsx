import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { STATUSES } from "@/lib/domain";
import { daysBetween, todayCN } from "@/lib/dates";
import { formatMoney, type TLocale } from "@/lib/money";
import type { TPipeline } from "@/server/figures/pipeline";
import { Badge, Card, CardHeader, EmptyState } from "@/app/_components/ui/misc";
import { StageBadge } from "@/app/_components/domain";
import { loadPipeline } from "./data";
import { drill } from "./params";

const BAR = { contact: "bg-slate-400", negotiation: "bg-brand-500", signed: "bg-violet-500", funds: "bg-emerald-500" } as const;

/** Beside a widget that shows data as it is now while the dashboard is "as of" a moment. */
export async function CurrentBadge() {
  const t = await getTranslations("dashboard");
  return <Badge tone="amber" className="ml-2 align-middle" title={t("currentHint")} data-testid="current-badge">{t("current")}</Badge>;
}

export async function PipelinePanel({ unit, current = false }: { unit: string; current?: boolean }) {
  const p = await loadPipeline(unit);
  const t = await getTranslations();
  const max = Math.max(1, ...p.funnel.map((f) => f.reached));
  return (
    <Card data-testid="pipeline-panel">
      <CardHeader title={<>{t("dashboard.pipeline")}{current && <CurrentBadge />}</>} description={t("dashboard.pipelineHint")} />
      <div className="space-y-3 px-5 py-4">
        {p.funnel.map((f) => (
          <div key={f.stage} className="grid grid-cols-[6rem_1fr_auto] items-center gap-3 text-sm">
            <span className="text-slate-700">{t(`enums.stage.${f.stage}`)}</span>
            <div className="h-6 rounded bg-slate-100">
              <div className={`h-6 rounded ${BAR[f.stage]}`} style={{ width: `${(f.reached / max) * 100}%` }} />
            </div>
            <span className="w-44 text-right text-xs text-slate-600 tabular">
              <strong className="text-sm text-slate-900">{f.reached}</strong>
              {f.conversionPct !== null && <span className="ml-2">{t("dashboard.conversion", { pct: f.conversionPct })}</span>}
            </span>
          </div>
        ))}
        <p className="text-xs text-slate-500">
          {t("dashboard.medianDays", {
            contact: p.funnel[0]!.medianDaysToNext ?? "—",
            negotiation: p.funnel[1]!.medianDaysToNext ?? "—",
            signed: p.funnel[2]!.medianDaysToNext ?? "—",
          })}
        </p>
      </div>
      <div className="overflow-x-auto border-t border-slate-100">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-right text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2 text-left font-medium">{t("project.stage")}</th>
              {STATUSES.map((s) => <th key={s} className="px-4 py-2 font-medium">{t(`enums.status.${s}`)}</th>)}
              <th className="px-4 py-2 font-medium">{t("dashboard.total")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 text-right tabular">
            {p.byStage.map((s) => (
              <tr key={s.stage}>
                <td className="px-4 py-2 text-left"><StageBadge stage={s.stage} /></td>
                {STATUSES.map((st) => (
                  <td key={st} className="px-4 py-2">
                    <Link href={drill(p.unit.code, { stage: s.stage, status: st })} className="hover:text-brand-700 hover:underline">{s[st]}</Link>
                  </td>
                ))}
                <td className="px-4 py-2 font-medium"><Link href={drill(p.unit.code, { stage: s.stage })} className="hover:text-brand-700 hover:underline">{s.total}</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

type TListRow = TPipeline["stale"]["rows"][number];

async function ProjectList({ title, hint, rows, count, allHref, render, testId, current }: { title: string; hint: string; rows: TListRow[]; count: number; allHref: string; render: (r: TListRow) => React.ReactNode; testId: string; current: boolean }) {
  const t = await getTranslations("dashboard");
  return (
    <Card className="flex flex-col" data-testid={testId}>
      <CardHeader title={<>{title} <span className="ml-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600 tabular">{count}</span>{current && <CurrentBadge />}</>} description={hint} actions={count > 0 && <Link href={allHref} className="text-xs text-brand-700 hover:underline">{t("viewAll")}</Link>} />
      {rows.length === 0 ? (
        <EmptyState title={t("none")} />
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((r) => (
            <li key={r.id} className="px-5 py-2.5">
              <Link href={`/projects/${r.id}`} className="block truncate text-sm font-medium text-slate-900 hover:text-brand-700">{r.name}</Link>
              <div className="mt-0.5 flex justify-between gap-2 text-xs text-slate-500">
                <span className="truncate">{r.unit_name} · {r.investor_name}</span>
                <span className="shrink-0 tabular">{render(r)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export async function WatchLists({ unit, current = false }: { unit: string; current?: boolean }) {
  const p = await loadPipeline(unit);
  const t = await getTranslations("dashboard");
  const locale = (await getLocale()) as TLocale;
  const today = todayCN();
  const cur = (r: TListRow) => (r.capital_type === "foreign" ? "USD" : "CNY");
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <ProjectList
        testId="list-stale"
        current={current}
        title={t("stale")}
        hint={t("staleHint", { days: p.staleDays })}
        rows={p.stale.rows}
        count={p.stale.count}
        allHref={drill(unit, { stale: "1" })}
        render={(r) => t("daysQuiet", { days: daysBetween(r.last_activity_on ?? r.stage_since, today) })}
      />
      <ProjectList
        testId="list-major"
        current={current}
        title={t("major")}
        hint={t("majorHint")}
        rows={p.major.rows}
        count={p.major.count}
        allHref={drill(unit, { major: "1", status: "active,on_hold" })}
        render={(r) => formatMoney(r.planned_amount, cur(r), locale)}
      />
      <ProjectList
        testId="list-unfunded"
        current={current}
        title={t("unfunded")}
        hint={t("unfundedHint")}
        rows={p.unfunded.rows}
        count={p.unfunded.count}
        allHref={drill(unit, { unfunded: "1" })}
        render={(r) => t("daysSinceSigning", { days: r.signed_on ? daysBetween(r.signed_on, today) : 0 })}
      />
    </div>
  );
}
