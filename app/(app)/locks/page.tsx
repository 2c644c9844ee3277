import { Lock, LockOpen } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";
import { todayCN } from "@/lib/dates";
import { LOCK_STATUSES, lockPeriodValues } from "@/lib/period-lock";
import { can } from "@/lib/permissions";
import { LockDialog } from "./lock-dialog";
import { LockFilters } from "./lock-filters";
import { ReopenDialog } from "./reopen-dialog";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("locks") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** 统计期锁定: the locks in and above the user's unit, with their history; lock and reopen. */
export default async function LocksPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  // filters live in the URL; unknown values fall back to the default rather than failing the page
  const status = LOCK_STATUSES.find((s) => s === one(sp.status)) ?? "all";
  const unit = one(sp.unit)?.slice(0, 40);
  const y = Number(one(sp.year));
  const year = Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : undefined;
  const api = await serverApi();
  const range = year ? { from: `${year}-01-01`, to: `${year}-12-31` } : {};
  const [me, units, locks, inForce] = await Promise.all([
    api.me.get(),
    api.units.list(),
    api.locks.list({ unit, status, ...range }),
    // which periods are locked right now, also when only the reopened ones are listed
    status === "reopened" ? api.locks.list({ unit, status: "active", ...range }) : null,
  ]);
  const t = await getTranslations("locks");
  const locale = await getLocale();
  const at = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(d);
  const canLock = can(me!.role, "period.lock");
  const canReopen = can(me!.role, "period.reopen");
  const base = units[0]?.depth ?? 0;
  const unitOptions = units.map((u) => ({ code: u.code, name: u.name, depth: u.depth - base }));
  const thisYear = Number(todayCN().slice(0, 4));
  const years = Array.from({ length: 11 }, (_, i) => thisYear - i);
  // a reopened period may be locked again, unless it already is
  const keyOf = (l: { unitId: string; kind: string; periodStart: string }) => `${l.unitId}|${l.kind}|${l.periodStart}`;
  const lockedNow = new Set((inForce ?? locks).filter((l) => l.active).map(keyOf));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={`${t("hint")}${canLock ? "" : ` ${t("readOnlyHint")}`}`}
        actions={canLock && <LockDialog units={unitOptions} defaults={unit && units.some((u) => u.code === unit) ? { unit } : undefined} />}
      />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div role="tablist" aria-label={t("statusFilter")} className="inline-flex rounded-md bg-white p-0.5 shadow-sm ring-1 ring-slate-200">
          {LOCK_STATUSES.map((s) => (
            <Link
              key={s}
              role="tab"
              aria-selected={s === status}
              href={`/locks${withParams(sp, { status: s === "all" ? null : s })}`}
              className={cn("rounded px-3 py-1.5 text-sm", s === status ? "bg-brand-600 font-medium text-white" : "text-slate-600 hover:bg-slate-100")}
              data-testid={`locks-status-${s}`}
            >
              {t(`status.${s}`)}
            </Link>
          ))}
        </div>
        <LockFilters unit={unit} year={year} years={years} units={unitOptions} />
      </div>
      <Card className="overflow-hidden">
        <div className="border-b border-slate-100 px-4 py-2.5 text-sm text-slate-600" data-testid="locks-count">
          {t("count", { n: locks.length })}
        </div>
        {locks.length === 0 ? (
          <EmptyState title={t("empty")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="locks-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-4 py-2.5 font-medium">{t("periodCol")}</th>
                  <th className="px-4 py-2.5 font-medium">{t("unit")}</th>
                  <th className="px-4 py-2.5 font-medium">{t("statusFilter")}</th>
                  <th className="px-4 py-2.5 font-medium">{t("locked")}</th>
                  <th className="px-4 py-2.5 font-medium">{t("reopened")}</th>
                  <th className="px-4 py-2.5"><span className="sr-only">{t("reopen")}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {locks.map((l) => {
                  const values = lockPeriodValues(l.kind, l.periodStart);
                  const period = t("period", values);
                  const lockedText = t("lockedBy", { by: l.lockedByName ?? "—", at: at(l.lockedAt) });
                  return (
                    <tr key={l.id} className="align-top" data-testid="lock-row">
                      <td className="px-4 py-2.5 whitespace-nowrap">
                        <span className="font-medium text-slate-900">{period}</span>
                        <div className="text-xs text-slate-500 tabular">{t("dates", { from: l.periodStart, to: l.periodEnd })}</div>
                      </td>
                      <td className="px-4 py-2.5">
                        {l.unitName}
                        {!l.inScope && <div className="text-xs text-slate-500">{t("fromAbove")}</div>}
                      </td>
                      <td className="px-4 py-2.5">
                        {l.active ? (
                          <Badge tone="amber"><Lock className="mr-1 size-3" aria-hidden />{t("status.active")}</Badge>
                        ) : (
                          <Badge tone="slate"><LockOpen className="mr-1 size-3" aria-hidden />{t("status.reopened")}</Badge>
                        )}
                      </td>
                      <td className="px-4 py-2.5 text-xs text-slate-600">{lockedText}</td>
                      <td className="max-w-xs px-4 py-2.5 text-xs text-slate-600">
                        {l.reopenedAt ? (
                          <>
                            {t("reopenedBy", { by: l.reopenedByName ?? "—", at: at(l.reopenedAt) })}
                            {l.reopenReason && <p className="mt-0.5 text-slate-800">{t("reason", { reason: l.reopenReason })}</p>}
                          </>
                        ) : (
                          <span className="text-slate-400">—</span>
                        )}
                      </td>
                      <td className="px-4 py-2.5 text-right whitespace-nowrap">
                        {l.active && canReopen && l.inScope && (
                          <ReopenDialog lock={{ id: l.id, version: l.version, unitName: l.unitName, period, locked: lockedText }} />
                        )}
                        {!l.active && canLock && l.inScope && !lockedNow.has(keyOf(l)) && (
                          <LockDialog
                            units={unitOptions}
                            variant="secondary"
                            label={t("relock")}
                            testId="relock"
                            defaults={{ unit: l.unitCode, kind: l.kind, year: Number(values.year), n: Number(values.n) }}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
