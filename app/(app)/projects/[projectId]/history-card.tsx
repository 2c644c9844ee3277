import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { Card, CardHeader } from "@/app/_components/ui/misc";
import { HistoryList } from "./history-list";

/**
 * The project's history from the audit log: the project, its tranches and their evidence, its
 * activities and its investor's contacts. The first page is rendered on the server; older entries
 * load on demand. The server decides what is in scope (see findProjectHistory).
 */
export async function HistoryCard({ projectId }: { projectId: string }) {
  const api = await serverApi();
  const [first, t] = await Promise.all([api.audit.projectHistory({ projectId, limit: 20 }), getTranslations("audit")]);
  return (
    <Card data-testid="project-history">
      <CardHeader title={t("history")} description={t("historyHint")} />
      {/* a new entry (after a change on this page) remounts the list with the fresh first page */}
      <HistoryList key={first.rows[0]?.seq ?? 0} projectId={projectId} initial={first} />
    </Card>
  );
}
