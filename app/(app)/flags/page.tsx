import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { FlagItem } from "@/app/_components/flags/flag-item";
import { Card, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";
import { FLAG_RULES, FLAG_STATUSES, type TFlagRule } from "@/lib/flags";
import { can } from "@/lib/permissions";
import { UnitFilter } from "./unit-filter";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("flags") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export default async function FlagsPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  // filters live in the URL; unknown values fall back to the default rather than failing the page
  const status = FLAG_STATUSES.find((s) => s === one(sp.status)) ?? "open";
  const rule = FLAG_RULES.find((r) => r === one(sp.rule));
  const unit = one(sp.unit)?.slice(0, 40);
  const page = Math.min(100_000, Math.max(1, Number(one(sp.page)) || 1));
  const api = await serverApi();
  const [me, units, list] = await Promise.all([api.me.get(), api.units.list(), api.flags.list({ status, rule, unit, page, pageSize: 50 })]);
  const t = await getTranslations();
  const canReview = can(me!.role, "flag.review");
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const base = units[0]?.depth ?? 0;
  // counts per rule come from the database: the same query that made the page
  const countOf = (r: TFlagRule | undefined, s: (typeof FLAG_STATUSES)[number]) =>
    (r ? [r] : [...FLAG_RULES]).reduce<number>((n, x) => n + (s === "all" ? list.counts[x].open + list.counts[x].reviewed : list.counts[x][s]), 0);
  const chip = (on: boolean) =>
    cn("inline-flex h-8 items-center gap-1.5 rounded-md px-3 text-sm ring-1 ring-inset", on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50");
  return (
    <>
      <PageHeader
        title={t("flags.title")}
        description={`${t("flags.hint", { unit: me!.unitName })}${canReview ? "" : ` ${t("flags.readOnlyHint")}`}`}
      />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div role="tablist" aria-label={t("funds.status")} className="inline-flex rounded-md bg-white p-0.5 shadow-sm ring-1 ring-slate-200">
          {FLAG_STATUSES.map((s) => (
            <Link
              key={s}
              role="tab"
              aria-selected={s === status}
              href={`/flags${withParams(sp, { status: s === "open" ? null : s })}`}
              className={cn("rounded px-3 py-1.5 text-sm", s === status ? "bg-brand-600 font-medium text-white" : "text-slate-600 hover:bg-slate-100")}
              data-testid={`flags-status-${s}`}
            >
              {t(`flags.status.${s}`)} <span className="tabular opacity-80">{countOf(rule, s)}</span>
            </Link>
          ))}
        </div>
        <UnitFilter value={unit} units={units.map((u) => ({ code: u.code, name: u.name, depth: u.depth - base }))} />
      </div>
      <nav aria-label={t("flags.ruleFilter")} className="mb-4 flex flex-wrap gap-1.5" data-testid="flags-rules">
        <Link href={`/flags${withParams(sp, { rule: null })}`} className={chip(!rule)} aria-current={!rule ? "true" : undefined}>
          {t("flags.allRules")} <span className="tabular opacity-80">{countOf(undefined, status)}</span>
        </Link>
        {FLAG_RULES.map((r) => (
          <Link key={r} href={`/flags${withParams(sp, { rule: r })}`} className={chip(rule === r)} aria-current={rule === r ? "true" : undefined} data-testid={`flags-rule-${r}`}>
            {t(`flags.rule.${r}`)} <span className="tabular opacity-80">{countOf(r, status)}</span>
          </Link>
        ))}
      </nav>
      <Card className="overflow-hidden">
        <div className="border-b border-slate-100 px-5 py-2.5 text-sm text-slate-600" data-testid="flags-count">
          {t("flags.count", { n: list.total })}
        </div>
        {list.rows.length === 0 ? (
          <EmptyState title={t("flags.empty")} />
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="flags-list">
            {list.rows.map((f) => (
              <FlagItem key={f.key} flag={f} canReview={canReview} />
            ))}
          </ul>
        )}
        {pages > 1 && (
          <nav className="flex items-center justify-end gap-3 border-t border-slate-100 px-4 py-3 text-sm" aria-label={t("pagination.label")}>
            <span className="tabular">{t("pagination.page", { page, pages })}</span>
            {page > 1 && <Link href={`/flags${withParams(sp, { page: String(page - 1) })}`} className="text-brand-700 hover:underline">{t("pagination.prev")}</Link>}
            {page < pages && <Link href={`/flags${withParams(sp, { page: String(page + 1) })}`} className="text-brand-700 hover:underline">{t("pagination.next")}</Link>}
          </nav>
        )}
      </Card>
    </>
  );
}
