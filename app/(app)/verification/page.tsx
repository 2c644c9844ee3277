import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { DateTime, Money } from "@/app/_components/domain";
import { cn } from "@/app/_components/ui/cn";
import { can } from "@/lib/permissions";
import { QueueActions } from "./queue-actions";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("verification") };
}

const STATUSES = ["pending", "verified", "rejected"] as const;

export default async function VerificationPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  const status = STATUSES.find((s) => s === sp.status) ?? "pending";
  const page = Math.max(1, Number(sp.page) || 1);
  const api = await serverApi();
  const [me, queue] = await Promise.all([api.me.get(), api.funds.queue({ status, page, pageSize: 50 })]);
  const t = await getTranslations();
  const canVerify = can(me!.role, "tranche.verify");
  const pages = Math.max(1, Math.ceil(queue.total / queue.pageSize));
  return (
    <>
      <PageHeader title={t("nav.verification")} description={t("verification.hint", { unit: me!.unitName })} />
      <div role="tablist" aria-label={t("funds.status")} className="mb-4 inline-flex rounded-md bg-white p-0.5 shadow-sm ring-1 ring-slate-200">
        {STATUSES.map((s) => (
          <Link
            key={s}
            role="tab"
            aria-selected={s === status}
            href={withParams(sp, { status: s === "pending" ? null : s })}
            className={cn("rounded px-3 py-1.5 text-sm", s === status ? "bg-brand-600 font-medium text-white" : "text-slate-600 hover:bg-slate-100")}
          >
            {t(`enums.trancheStatus.${s}`)}
          </Link>
        ))}
      </div>
      <Card className="overflow-hidden">
        <div className="border-b border-slate-100 px-4 py-2.5 text-sm text-slate-600" data-testid="queue-count">
          {t("verification.count", { n: queue.total })}
        </div>
        {queue.rows.length === 0 ? (
          <EmptyState title={t(status === "pending" ? "verification.emptyPending" : "verification.empty")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="queue-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-4 py-2.5 font-medium">{t("project.name")}</th>
                  <th className="px-4 py-2.5 font-medium whitespace-nowrap">{t("funds.arrivedOn")}</th>
                  <th className="px-4 py-2.5 text-right font-medium">{t("funds.amount")}</th>
                  <th className="px-4 py-2.5 font-medium">{t("funds.evidence")}</th>
                  <th className="px-4 py-2.5 font-medium">{t("verification.reported")}</th>
                  <th className="px-4 py-2.5"><span className="sr-only">{t("common.actions")}</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {queue.rows.map((r) => {
                  const currency = r.capitalType === "foreign" ? "USD" : "CNY";
                  return (
                    <tr key={r.id} className="align-top">
                      <td className="max-w-sm px-4 py-2.5">
                        <Link href={`/projects/${r.projectId}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">{r.projectName}</Link>
                        <div className="mt-0.5 text-xs text-slate-500">
                          <span className="font-mono">{r.projectCode}</span> · {r.unitName}
                        </div>
                      </td>
                      <td className="px-4 py-2.5 whitespace-nowrap tabular">{r.arrivedOn}</td>
                      <td className="px-4 py-2.5 text-right whitespace-nowrap font-medium">
                        <Money value={r.amount} currency={currency} />
                        {r.signedAmount && (
                          <div className="text-xs font-normal text-slate-500">
                            {t("verification.ofSigned")} <Money value={r.signedAmount} currency={currency} />
                          </div>
                        )}
                      </td>
                      <td className="px-4 py-2.5">
                        <span className="font-mono text-xs">{r.evidenceNo ?? "—"}</span>
                        <div className="text-xs text-slate-500">{t("verification.files", { n: r.fileCount })}</div>
                      </td>
                      <td className="px-4 py-2.5 text-xs text-slate-600">
                        {r.reportedByName}
                        <div className="text-slate-400"><DateTime value={r.reportedAt} /></div>
                        {r.status !== "pending" && (
                          <div className="mt-1">
                            <Badge tone={r.status === "verified" ? "green" : "red"}>{t(`enums.trancheStatus.${r.status}`)}</Badge> {r.verifiedByName}
                            {r.rejectReason && <p className="text-red-700">{r.rejectReason}</p>}
                          </div>
                        )}
                      </td>
                      <td className="px-4 py-2.5 text-right whitespace-nowrap">
                        {r.status === "pending" && canVerify && (
                          r.reportedBy === me!.id ? (
                            <span className="text-xs text-slate-400">{t("funds.ownReport")}</span>
                          ) : (
                            <QueueActions tranche={{ id: r.id, version: r.version, amount: r.amount, arrivedOn: r.arrivedOn, evidenceNo: r.evidenceNo, files: r.fileCount }} currency={currency} />
                          )
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 && (
          <nav className="flex items-center justify-end gap-3 border-t border-slate-100 px-4 py-3 text-sm" aria-label={t("pagination.label")}>
            <span className="tabular">{t("pagination.page", { page, pages })}</span>
            {page > 1 && <Link href={withParams(sp, { page: String(page - 1) })} className="text-brand-700 hover:underline">{t("pagination.prev")}</Link>}
            {page < pages && <Link href={withParams(sp, { page: String(page + 1) })} className="text-brand-700 hover:underline">{t("pagination.next")}</Link>}
          </nav>
        )}
      </Card>
    </>
  );
}
