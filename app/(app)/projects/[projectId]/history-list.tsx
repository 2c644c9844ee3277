"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { TAuditNames } from "@/lib/audit-diff";
import { useTRPC } from "@/app/_lib/trpc/client";
import { AuditChanges, actionLabel, changeCount, typeLabel } from "@/app/_components/audit/audit-changes";
import { DateTime } from "@/app/_components/domain";
import { Button } from "@/app/_components/ui/button";
import { Alert, Badge, EmptyState } from "@/app/_components/ui/misc";

type TEntry = { seq: number; at: Date; actorName: string | null; action: string; entityType: string; entityId: string; before: unknown; after: unknown };
type TPage = { rows: TEntry[]; nextCursor: number | null; names: TAuditNames };

export function HistoryList({ projectId, initial }: { projectId: string; initial: TPage }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pages, setPages] = useState<TPage[]>([initial]);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const cursor = pages[pages.length - 1]!.nextCursor;

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    setFailed(false);
    try {
      const next = await queryClient.fetchQuery(trpc.audit.projectHistory.queryOptions({ projectId, cursor, limit: 50 }));
      setPages((p) => [...p, next]);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }

  if (!initial.rows.length) return <EmptyState title={t("audit.historyEmpty")} />;
  return (
    <>
      <ol className="divide-y divide-slate-100" data-testid="history-entries">
        {pages.flatMap((page) =>
          page.rows.map((e) => {
            const isUpdate = !!e.before && !!e.after;
            const n = changeCount(e);
            return (
              <li key={e.seq} className="px-5 py-3" data-testid="history-entry" data-action={e.action}>
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                  <span className="font-medium text-slate-900">{actionLabel(t, e.action)}</span>
                  {e.entityType !== "project" && <Badge>{typeLabel(t, e.entityType)}</Badge>}
                  <span className="text-xs text-slate-500">
                    {e.actorName ?? t("common.system")} · <DateTime value={e.at} />
                  </span>
                </div>
                <div className="mt-1.5">
                  {isUpdate || n <= 4 ? (
                    <AuditChanges entry={e} names={page.names} />
                  ) : (
                    <details>
                      <summary className="cursor-pointer text-xs text-brand-700 hover:underline">{t("audit.nFields", { n })}</summary>
                      <div className="mt-1.5">
                        <AuditChanges entry={e} names={page.names} />
                      </div>
                    </details>
                  )}
                </div>
              </li>
            );
          }),
        )}
      </ol>
      {failed && <Alert className="mx-5 mb-3">{t("errors.internal")}</Alert>}
      {cursor && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Button size="sm" onClick={loadMore} disabled={loading} data-testid="history-more">
            {loading ? t("common.loading") : t("audit.loadMore")}
          </Button>
        </div>
      )}
    </>
  );
}
