import { Lock, LockOpen } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { Badge, Card, CardHeader } from "@/app/_components/ui/misc";
import { lockPeriodValues } from "@/lib/period-lock";
import { can } from "@/lib/permissions";
import type { TDashParams } from "./params";

/**
 * 统计期锁定 for the selected unit and period: the locks that bind it (its own and those of the
 * units above) and those of units below it; active ones, and reopened ones with who and why.
 */
export async function LocksPanel({ p }: { p: TDashParams }) {
  const api = await serverApi();
  const [me, locks] = await Promise.all([api.me.get(), api.locks.list({ unit: p.unit, from: p.from, to: p.to })]);
  const t = await getTranslations("locks");
  const locale = await getLocale();
  const at = (d: Date) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(d);
  return (
    <Card data-testid="locks-panel">
      <CardHeader
        title={t("widgetTitle")}
        description={t("widgetHint")}
        actions={can(me!.role, "period.lock") && (
          <Link href={`/locks?unit=${encodeURIComponent(p.unit)}`} className="text-sm text-brand-700 hover:underline">
            {t("manage")}
          </Link>
        )}
      />
      {locks.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">{t("widgetEmpty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {locks.map((l) => (
            <li key={l.id} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm" data-testid="locks-panel-item">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {l.unitName} · {t("period", lockPeriodValues(l.kind, l.periodStart))}
                  <span className="ml-2 text-xs font-normal text-slate-500 tabular">{t("dates", { from: l.periodStart, to: l.periodEnd })}</span>
                </p>
                <p className="text-xs text-slate-600">{t("lockedBy", { by: l.lockedByName ?? "—", at: at(l.lockedAt) })}</p>
                {l.reopenedAt && (
                  <p className="text-xs text-slate-600">
                    {t("reopenedBy", { by: l.reopenedByName ?? "—", at: at(l.reopenedAt) })}
                    {l.reopenReason && <> · {t("reason", { reason: l.reopenReason })}</>}
                  </p>
                )}
              </div>
              {l.active ? (
                <Badge tone="amber"><Lock className="mr-1 size-3" aria-hidden />{t("status.active")}</Badge>
              ) : (
                <Badge tone="slate"><LockOpen className="mr-1 size-3" aria-hidden />{t("status.reopened")}</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
