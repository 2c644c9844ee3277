import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { PAGE_SIZES, withParams, type TSearchParams } from "@/app/_lib/project-filters";
import { AuditChanges, actionLabel, changeCount, typeLabel } from "@/app/_components/audit/audit-changes";
import { DateTime } from "@/app/_components/domain";
import { Button, ButtonLink } from "@/app/_components/ui/button";
import { Input, Select } from "@/app/_components/ui/form";
import { Card, CardHeader, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, UUID_RE } from "@/lib/audit-diff";
import { isIsoDate } from "@/lib/dates";
import { can } from "@/lib/permissions";
import { Pagination } from "../../projects/_components/pagination";
import { VerifyChain } from "./verify-chain";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("audit") };
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The URL's filters; malformed values are dropped rather than failing the page. */
function parseFilters(sp: TSearchParams) {
  const actor = one(sp.actor);
  const from = one(sp.from);
  const to = one(sp.to);
  const page = Number(one(sp.page));
  const size = Number(one(sp.size));
  const f = {
    actor: actor === "system" || UUID_RE.test(actor ?? "") ? actor : undefined,
    action: one(sp.action)?.slice(0, 60),
    entityType: one(sp.type)?.slice(0, 40),
    entityId: one(sp.entity)?.slice(0, 200),
    from: from && isIsoDate(from) ? from : undefined,
    to: to && isIsoDate(to) ? to : undefined,
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
  if (f.from && f.to && f.from > f.to) f.to = undefined;
  return f;
}

const snapshotProject = (e: { before: unknown; after: unknown }) => {
  const id = ((e.after ?? e.before) as { projectId?: unknown } | null)?.projectId;
  return typeof id === "string" ? id : null;
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const api = await serverApi();
  const me = await api.me.get();
  if (!me || !can(me.role, "audit.read")) redirect("/");
  const sp = await searchParams;
  const f = parseFilters(sp);
  const [list, people, t] = await Promise.all([api.audit.list(f), api.users.list({}), getTranslations()]);
  const filtered = [f.actor, f.action, f.entityType, f.entityId, f.from, f.to].some(Boolean);
  const label = "block text-xs font-medium text-slate-600";

  return (
    <>
      <PageHeader title={t("audit.title")} description={t("audit.hint")} />
      <div className="mb-4 grid gap-4 xl:grid-cols-[1fr_auto]">
        <Card>
          <form method="get" action="/admin/audit" className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="audit-filters" aria-label={t("audit.filters")}>
            <label className="space-y-1">
              <span className={label}>{t("audit.actor")}</span>
              <Select name="actor" defaultValue={f.actor ?? ""}>
                <option value="">{t("audit.allActors")}</option>
                <option value="system">{t("common.system")}</option>
                {people.map((u) => (
                  <option key={u.id} value={u.id}>{t("common.withNote", { text: u.name, note: u.unitName })}</option>
                ))}
              </Select>
            </label>
            <label className="space-y-1">
              <span className={label}>{t("audit.action")}</span>
              <Input name="action" defaultValue={f.action} placeholder={t("audit.actionPlaceholder")} list="audit-actions" autoComplete="off" />
              <datalist id="audit-actions">
                {AUDIT_ACTIONS.map((a) => (
                  <option key={a} value={a}>{actionLabel(t, a)}</option>
                ))}
              </datalist>
            </label>
            <label className="space-y-1">
              <span className={label}>{t("audit.entityType")}</span>
              <Select name="type" defaultValue={f.entityType ?? ""}>
                <option value="">{t("audit.allTypes")}</option>
                {[...AUDIT_ENTITY_TYPES, ...(f.entityType && !(AUDIT_ENTITY_TYPES as readonly string[]).includes(f.entityType) ? [f.entityType] : [])].map((x) => (
                  <option key={x} value={x}>{typeLabel(t, x)}</option>
                ))}
              </Select>
            </label>
            <label className="space-y-1">
              <span className={label}>{t("audit.entityId")}</span>
              <Input name="entity" defaultValue={f.entityId} className="font-mono" autoComplete="off" />
            </label>
            <label className="space-y-1">
              <span className={label}>{t("audit.from")}</span>
              <Input type="date" name="from" defaultValue={f.from} />
            </label>
            <label className="space-y-1">
              <span className={label}>{t("audit.to")}</span>
              <Input type="date" name="to" defaultValue={f.to} />
            </label>
            {f.pageSize !== 50 && <input type="hidden" name="size" value={f.pageSize} />}
            <div className="flex items-end gap-2 sm:col-span-2">
              <Button type="submit" variant="primary" data-testid="audit-apply">{t("audit.apply")}</Button>
              {filtered && <ButtonLink href="/admin/audit">{t("audit.clear")}</ButtonLink>}
            </div>
          </form>
        </Card>
        <Card className="p-4 xl:w-96">
          <VerifyChain />
        </Card>
      </div>

      <Card className="overflow-hidden">
        <CardHeader title={<span data-testid="audit-count">{t("audit.count", { n: list.total })}</span>} />
        {list.rows.length === 0 ? (
          <EmptyState title={t("audit.empty")} />
        ) : (
          <ol className="divide-y divide-slate-100" data-testid="audit-entries">
            {list.rows.map((e) => {
              const n = changeCount(e);
              const projectId = e.entityType === "project" ? e.entityId : snapshotProject(e);
              const projectName = projectId ? list.names.projects[projectId] : undefined;
              return (
                <li key={e.seq} className="grid gap-x-4 gap-y-1 px-5 py-3 text-sm lg:grid-cols-[5rem_11rem_1fr]" data-testid="audit-entry">
                  <span className="font-mono text-xs text-slate-500 tabular" title={e.hash}>#{e.seq}</span>
                  <div className="text-xs text-slate-600">
                    <DateTime value={e.at} />
                    <p className="mt-0.5 font-medium text-slate-800">{e.actorName ?? t("common.system")}</p>
                    {e.unitName && <p className="text-slate-500">{e.unitName}</p>}
                  </div>
                  <div className="min-w-0">
                    <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                      <span className="font-medium text-slate-900">{actionLabel(t, e.action)}</span>
                      <span className="font-mono text-[11px] text-slate-400">{e.action}</span>
                      <Link
                        href={`/admin/audit${withParams({}, { type: e.entityType, entity: e.entityId })}`}
                        className="text-xs text-brand-700 hover:underline"
                        title={e.entityId}
                      >
                        {typeLabel(t, e.entityType)} <span className="font-mono">{e.entityId.length > 12 ? `${e.entityId.slice(0, 8)}…` : e.entityId}</span>
                      </Link>
                      {projectName && (
                        <Link href={`/projects/${projectId}`} className="text-xs text-slate-600 hover:text-brand-700 hover:underline">
                          {projectName}
                        </Link>
                      )}
                    </div>
                    {n > 0 ? (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-xs text-brand-700 hover:underline">{t("audit.nChanges", { n })}</summary>
                        <div className="mt-1.5 rounded-md bg-slate-50 p-3">
                          <AuditChanges entry={e} names={list.names} />
                        </div>
                      </details>
                    ) : (
                      <p className="mt-1 text-xs text-slate-500">{t("audit.noChanges")}</p>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
        <Pagination total={list.total} page={list.page} pageSize={list.pageSize} searchParams={sp} />
      </Card>
    </>
  );
}
