import { ArrowDown, ArrowUp, ArrowUpDown, Plus } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { parseProjectFilters, withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { ButtonLink } from "@/app/_components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { Money, StageBadge, StatusBadge } from "@/app/_components/domain";
import { daysBetween, todayCN } from "@/lib/dates";
import { can } from "@/lib/permissions";
import { ProjectFilters } from "./_components/project-filters";
import { Pagination } from "./_components/pagination";
import { ExportMenu } from "./_components/export-menu";
import { SavedViews } from "./_components/saved-views";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("title") };
}

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  const state = parseProjectFilters(sp);
  const api = await serverApi();
  const [me, list, units, owners, views] = await Promise.all([
    api.me.get(),
    api.projects.list(state),
    api.units.list(),
    api.users.list({ includeDisabled: false, role: "staff" }),
    api.views.list(),
  ]);
  const t = await getTranslations();
  const today = todayCN();
  const exportQuery = withParams(sp, { sort: null, dir: null, page: null, size: null }).replace(/^\?/, "");

  const sortHeader = (key: typeof state.sort, label: string, className = "") => {
    const active = state.sort === key;
    const nextDir = active && state.dir === "asc" ? "desc" : "asc";
    const Icon = active ? (state.dir === "asc" ? ArrowUp : ArrowDown) : ArrowUpDown;
    return (
      <th scope="col" className={`px-3 py-2.5 font-medium whitespace-nowrap ${className}`} aria-sort={active ? (state.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link href={withParams(sp, { sort: key, dir: nextDir })} className="inline-flex items-center gap-1 hover:text-slate-900" scroll={false}>
          {label}
          <Icon className={`size-3.5 ${active ? "text-brand-600" : "text-slate-300"}`} aria-hidden />
        </Link>
      </th>
    );
  };

  return (
    <>
      <PageHeader
        title={t("projects.title")}
        description={t("projects.scope", { unit: me!.unitName })}
        actions={
          can(me!.role, "project.write") && (
            <ButtonLink href="/projects/new" variant="primary" data-testid="new-project">
              <Plus className="size-4" aria-hidden />
              {t("projects.new")}
            </ButtonLink>
          )
        }
      />
      <ProjectFilters
        state={state}
        units={units.map((u) => ({ code: u.code, name: u.name, depth: u.depth - (units[0]?.depth ?? 0) }))}
        owners={owners.map((o) => ({ id: o.id, name: t("common.withNote", { text: o.name, note: o.unitName }) }))}
      />
      <Card className="mt-4 overflow-hidden">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-2.5 text-sm text-slate-600">
          <span data-testid="project-count">{t("projects.count", { n: list.total })}</span>
          <div className="flex flex-wrap items-center gap-3">
            <SavedViews views={views} />
            <ExportMenu query={exportQuery} />
          </div>
        </div>
        {list.rows.length === 0 ? (
          <EmptyState title={t("projects.empty")}>{t("projects.emptyHint")}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="project-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  {sortHeader("code", t("project.code"), "w-32")}
                  {sortHeader("name", t("project.name"))}
                  {sortHeader("unit", t("project.unit"), "hidden xl:table-cell")}
                  {sortHeader("stage", t("project.stage"))}
                  {sortHeader("planned", t("project.plannedAmount"), "text-right")}
                  {sortHeader("signed", t("project.signedAmount"), "text-right hidden xl:table-cell")}
                  <th scope="col" className="hidden px-3 py-2.5 font-medium whitespace-nowrap xl:table-cell">{t("project.owner")}</th>
                  {sortHeader("stageSince", t("project.daysInStage"), "text-right hidden lg:table-cell")}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.rows.map((p) => {
                  const currency = p.capitalType === "foreign" ? "USD" : "CNY";
                  return (
                    <tr key={p.id} className="hover:bg-slate-50/80">
                      <td className="px-3 py-2.5 font-mono text-xs whitespace-nowrap text-slate-600">{p.code}</td>
                      <td className="max-w-md px-3 py-2.5">
                        <Link href={`/projects/${p.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                          {p.name}
                        </Link>
                        <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                          <span className="truncate">{p.investorName}</span>
                          <span className="xl:hidden">· {p.unitName}</span>
                          <Badge tone={p.capitalType === "foreign" ? "violet" : "slate"}>{t(`enums.capitalType.${p.capitalType}`)}</Badge>
                          {p.isMajor && <Badge tone="amber">{t("project.major")}</Badge>}
                        </div>
                      </td>
                      <td className="hidden px-3 py-2.5 whitespace-nowrap text-slate-700 xl:table-cell">{p.unitName}</td>
                      <td className="px-3 py-2.5 whitespace-nowrap">
                        <div className="flex items-center gap-1">
                          <StageBadge stage={p.stage} />
                          <StatusBadge status={p.status} hideActive />
                        </div>
                      </td>
                      <td className="px-3 py-2.5 text-right whitespace-nowrap"><Money value={p.plannedAmount} currency={currency} /></td>
                      <td className="hidden px-3 py-2.5 text-right whitespace-nowrap xl:table-cell"><Money value={p.signedAmount} currency={currency} /></td>
                      <td className="hidden px-3 py-2.5 whitespace-nowrap text-slate-700 xl:table-cell">{p.ownerName ?? "—"}</td>
                      <td className="hidden px-3 py-2.5 text-right whitespace-nowrap text-slate-600 tabular lg:table-cell">{daysBetween(p.stageSince, today)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pagination total={list.total} page={list.page} pageSize={list.pageSize} searchParams={sp} />
      </Card>
    </>
  );
}
