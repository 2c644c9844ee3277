import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { Badge, Card, CardHeader, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";
import { StageBadge } from "@/app/_components/domain";
import { daysBetween } from "@/lib/dates";
import { dueState } from "@/lib/follow-up-rules";
import { StepDoneButton } from "./step-done-button";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("followUps") };
}

const DUE_TONE = { overdue: "red", today: "amber", soon: "amber", later: "slate" } as const;
const PAGE_SIZE = 50;
const pageOf = (v: string | string[] | undefined) => Math.min(100_000, Math.max(1, Number(Array.isArray(v) ? v[0] : v) || 1));
const countBadge = (n: number) => <span className="ml-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs tabular">{n}</span>;

/** "1–50 of 612" and previous/next links of one list, its page kept in the URL under `param`. */
async function ListPager({ list, param, sp }: { list: { total: number; page: number; pageSize: number; rows: unknown[] }; param: string; sp: TSearchParams }) {
  const t = await getTranslations("pagination");
  if (list.total <= list.pageSize && list.page === 1) return null;
  const from = (list.page - 1) * list.pageSize + 1;
  const to = from + list.rows.length - 1;
  const link = "text-brand-700 hover:underline";
  return (
    <nav className="flex items-center justify-end gap-3 border-t border-slate-100 px-5 py-2.5 text-xs text-slate-600" aria-label={t("label")} data-testid={`pager-${param}`}>
      <span className="tabular">{t("range", { from: list.rows.length ? from : 0, to: list.rows.length ? to : 0, total: list.total })}</span>
      {list.page > 1 && <Link href={withParams(sp, { [param]: String(list.page - 1) })} className={link}>{t("prev")}</Link>}
      {to < list.total && <Link href={withParams(sp, { [param]: String(list.page + 1) })} className={link}>{t("next")}</Link>}
    </nav>
  );
}

export default async function FollowUpsPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  const api = await serverApi();
  const me = (await api.me.get())!;
  const days = Number(sp.days);
  const mine = sp.mine === "1";
  const f = await api.activities.followUps({
    mine,
    threeNotDays: Number.isInteger(days) && days > 0 && days < 3650 ? days : undefined,
    pageSize: PAGE_SIZE,
    stepsPage: pageOf(sp.stepsPage),
    stalePage: pageOf(sp.stalePage),
    threeNotPage: pageOf(sp.threeNotPage),
  });
  const t = await getTranslations("followUps");
  const tt = await getTranslations();
  const tab = (on: boolean) => cn("rounded px-3 py-1.5 text-sm", on ? "bg-brand-600 font-medium text-white" : "text-slate-600 hover:bg-slate-100");
  return (
    <>
      <PageHeader
        title={tt("nav.followUps")}
        description={f.mine ? t("hintMine") : t("hintUnits", { unit: me.unitName })}
        actions={me.role !== "staff" && (
          <div className="inline-flex rounded-md bg-white p-0.5 shadow-sm ring-1 ring-slate-200" role="tablist">
            <Link href={withParams(sp, { mine: null })} className={tab(!f.mine)} role="tab" aria-selected={!f.mine}>{t("units")}</Link>
            <Link href={withParams(sp, { mine: "1" })} className={tab(f.mine)} role="tab" aria-selected={f.mine}>{t("mine")}</Link>
          </div>
        )}
      />
      <div className="grid gap-5 xl:grid-cols-2">
        <Card className="xl:col-span-2" data-testid="follow-up-steps">
          <CardHeader title={<>{t("steps")} {countBadge(f.steps.total)}</>} description={t("stepsHint", { days: f.soonDays })} />
          {f.steps.rows.length === 0 ? (
            <EmptyState title={t("noSteps")} />
          ) : (
            <ul className="divide-y divide-slate-100">
              {f.steps.rows.map((s) => {
                const state = dueState(s.nextDueOn!, f.today, f.soonDays);
                return (
                  <li key={s.id} className="flex flex-wrap items-start justify-between gap-3 px-5 py-3" data-testid="follow-up-step">
                    <div className="min-w-0 text-sm">
                      <p className="font-medium text-slate-900">{s.nextStep}</p>
                      <p className="mt-0.5 text-xs text-slate-500">
                        <Link href={`/projects/${s.projectId}`} className="text-brand-700 hover:underline">{s.projectName}</Link> · {s.unitName} · {s.authorName}
                        {" · "}{tt(`enums.activityKind.${s.kind}`)} {s.occurredOn}：{s.summary}
                      </p>
                    </div>
                    <div className="flex items-center gap-2">
                      <Badge tone={DUE_TONE[state]}>{tt(`activities.due.${state}`, { date: s.nextDueOn! })}</Badge>
                      <StepDoneButton id={s.id} version={s.version} />
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          <ListPager list={f.steps} param="stepsPage" sp={sp} />
        </Card>

        <Card data-testid="follow-up-stale">
          <CardHeader title={<>{t("stale")} {countBadge(f.stale.total)}</>} description={t("staleHint", { days: f.staleDays })} />
          {f.stale.rows.length === 0 ? (
            <EmptyState title={t("noStale")} />
          ) : (
            <ul className="divide-y divide-slate-100">
              {f.stale.rows.map((p) => (
                <li key={p.id} className="flex items-start justify-between gap-3 px-5 py-2.5 text-sm">
                  <div className="min-w-0">
                    <Link href={`/projects/${p.id}`} className="font-medium text-slate-900 hover:text-brand-700">{p.name}</Link>
                    <p className="mt-0.5 truncate text-xs text-slate-500">{p.unitName} · {p.investorName} · {p.ownerName ?? "—"}</p>
                  </div>
                  <div className="flex shrink-0 items-center gap-2">
                    <StageBadge stage={p.stage} />
                    <span className="text-xs text-slate-500 tabular">{t("quiet", { days: daysBetween(p.quietSince, f.today) })}</span>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <ListPager list={f.stale} param="stalePage" sp={sp} />
        </Card>

        <Card data-testid="follow-up-three-not">
          <CardHeader
            title={<>{t("threeNot")} {countBadge(f.threeNot.total)}</>}
            description={t("threeNotHint", { days: f.threeNotDays })}
            actions={
              <form className="flex items-center gap-1.5 text-xs text-slate-600">
                {f.mine && <input type="hidden" name="mine" value="1" />}
                <label htmlFor="days">{t("afterDays")}</label>
                <input id="days" name="days" type="number" min={1} max={3650} defaultValue={f.threeNotDays} className="h-7 w-16 rounded border-0 px-2 text-right ring-1 ring-slate-300" />
                <button type="submit" className="rounded px-2 py-1 ring-1 ring-slate-300 hover:bg-slate-50">{t("apply")}</button>
              </form>
            }
          />
          {f.threeNot.rows.length === 0 ? (
            <EmptyState title={t("noThreeNot")} />
          ) : (
            <ul className="divide-y divide-slate-100">
              {f.threeNot.rows.map((p) => (
                <li key={p.id} className="px-5 py-2.5 text-sm">
                  <div className="flex items-start justify-between gap-3">
                    <Link href={`/projects/${p.id}`} className="font-medium text-slate-900 hover:text-brand-700">{p.name}</Link>
                    <span className="shrink-0 text-xs text-slate-500 tabular">{t("signedDaysAgo", { days: daysBetween(p.signedOn, f.today) })}</span>
                  </div>
                  <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                    <span>{p.unitName} · {p.ownerName ?? "—"}</span>
                    {p.missing.map((m) => (
                      <Badge key={m} tone={m === "unfunded" ? "red" : "amber"}>{tt(`flags.threeNot.${m}`)}</Badge>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <ListPager list={f.threeNot} param="threeNotPage" sp={sp} />
        </Card>
      </div>
    </>
  );
}
