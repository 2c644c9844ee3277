import { TRPCError } from "@trpc/server";
import { CheckCircle2, ShieldAlert } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { Alert, Badge, Card, CardHeader, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { DateTime } from "@/app/_components/domain";
import { AuditChanges, actionLabel } from "@/app/_components/audit/audit-changes";
import { formatMoney, type TLocale } from "@/lib/money";
import type { TBasisKind, TComparison } from "@/server/figures/publish";

export async function generateMetadata() {
  return { title: (await getTranslations("publishedPage"))("title") };
}

type TFigure = TComparison["figures"][number];
type TRow = TComparison["rows"][number];
const ROW_KINDS: TBasisKind[] = ["tranches", "pending", "signings", "targets", "units"];
// ids and bookkeeping stay out of the row comparison: people read codes and names
const ROW_HIDDEN = new Set(["id", "project_id", "event_id"]);

export default async function PublishedPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const api = await serverApi();
  const c = await api.figures.compare({ id }).catch((err) => {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  });
  const t = await getTranslations();
  const p = (k: string, v?: Record<string, string | number>) => t(`publishedPage.${k}`, v);
  const locale = (await getLocale()) as TLocale;

  const figureLabel = (f: TFigure) => {
    const unit = f.child ? (f.childName ?? f.child) : p("unitWide", { unit: c.unit.name });
    const what = [f.group && p(`groups.${f.group}`), t.has(`publishedPage.fields.${f.field}`) ? p(`fields.${f.field}`) : f.field].filter(Boolean).join(" · ");
    return { unit, what };
  };
  const figureValue = (f: TFigure, v: unknown) => {
    if (v === null || v === undefined) return "—";
    if (f.kind === "money" && typeof v === "string") return formatMoney(v, f.currency ?? "CNY", locale);
    if (f.kind === "pct") return `${String(v)}%`;
    return String(v);
  };

  const unitName = (code: unknown) => (typeof code === "string" ? (c.unitNames[code] ?? code) : "—");
  const rowCurrency = (r: Record<string, unknown>) => (r.capital_type === "foreign" || r.metric === "foreign_funds" ? "USD" : "CNY");
  const rowValue = (key: string, r: Record<string, unknown>) => {
    const v = r[key];
    if (v === null || v === undefined || v === "") return "—";
    if (key === "amount" || key === "signed_amount") return formatMoney(String(v), rowCurrency(r), locale);
    if (key === "value") return r.metric === "signed_projects" ? String(Number(v)) : formatMoney(String(v), rowCurrency(r), locale);
    if (key === "unit" || key === "parent") return unitName(v);
    if (key === "capital_type") return t(`enums.capitalType.${String(v)}`);
    if (key === "origin_class") return t(`enums.originClass.${String(v)}`);
    if (key === "metric") return t.has(`audit.metrics.${String(v)}`) ? t(`audit.metrics.${String(v)}`) : String(v);
    return String(v);
  };
  const rowField = (k: string) => (t.has(`publishedPage.rowFields.${k}`) ? p(`rowFields.${k}`) : k);
  /** The row in one line: what it is (project, unit, target) and its amount or value. */
  const rowTitle = (kind: TBasisKind, r: Record<string, unknown>) => {
    switch (kind) {
      case "tranches":
      case "pending":
        return [String(r.project_code), unitName(r.unit), String(r.arrived_on), rowValue("amount", r)];
      case "signings":
        return [String(r.project_code), unitName(r.unit), String(r.signed_on), rowValue("signed_amount", r)];
      case "targets":
        return [unitName(r.unit), rowValue("metric", r), rowValue("value", r)];
      case "units":
        return [String(r.name), `${rowField("parent")}: ${rowValue("parent", r)}`];
    }
  };
  const changedFields = (r: TRow) =>
    r.published && r.now ? [...new Set([...Object.keys(r.published), ...Object.keys(r.now)])].filter((k) => !ROW_HIDDEN.has(k) && JSON.stringify(r.published![k]) !== JSON.stringify(r.now![k])) : [];

  const back = `/dashboard?${new URLSearchParams({ unit: c.unit.code, from: c.from, to: c.to })}`;
  const byKind = ROW_KINDS.map((k) => [k, c.rows.filter((r) => r.kind === k)] as const).filter(([, rows]) => rows.length > 0);
  return (
    <>
      <PageHeader title={p("title")} description={`${c.unit.name} · ${c.from} – ${c.to}`}>
        <nav className="mb-1 text-xs text-slate-500"><Link href={back} className="hover:text-slate-800">← {p("back")}</Link></nav>
      </PageHeader>
      <Card className="mb-4 p-5">
        <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div><dt className="text-xs text-slate-500">{p("publishedAt")}</dt><dd><DateTime value={c.publishedAt} /></dd></div>
          <div><dt className="text-xs text-slate-500">{p("publishedBy")}</dt><dd>{c.publishedBy ?? "—"}</dd></div>
          <div><dt className="text-xs text-slate-500">{p("definition")}</dt><dd className="font-mono text-xs">{c.definitionVersion}{c.definitionVersion !== c.currentDefinitionVersion && <Badge tone="amber" className="ml-2">{p("definitionChanged", { v: c.currentDefinitionVersion })}</Badge>}</dd></div>
          <div>
            <dt className="text-xs text-slate-500">{p("hash")}</dt>
            <dd className="font-mono text-xs break-all">
              {c.hash}
              <Badge tone={c.intact ? "green" : "red"} className="ml-2" data-testid="integrity-badge">{p(c.intact ? "intactBadge" : "tamperedBadge")}</Badge>
            </dd>
          </div>
        </dl>
        <div className="mt-4 space-y-2">
          {c.intact ? (
            <Alert tone="green" testId="integrity"><span className="inline-flex items-center gap-1.5"><CheckCircle2 className="size-4" aria-hidden />{p("intact")}</span></Alert>
          ) : (
            <Alert testId="integrity">
              <span className="inline-flex items-center gap-1.5"><ShieldAlert className="size-4" aria-hidden />{p("tampered")}</span>
              <ul className="mt-1 list-disc pl-6 text-xs">
                {!c.integrity.content && <li>{p("tamperedContent")}</li>}
                {!c.integrity.audit && <li>{p("tamperedAudit")}</li>}
              </ul>
            </Alert>
          )}
          <p className="text-xs text-slate-600" data-testid="reproduced">
            {c.reproducedDifferences === 0 ? p("reproduced") : p("notReproduced", { n: c.reproducedDifferences })}
          </p>
        </div>
      </Card>
      <Card className="mb-4">
        <CardHeader title={p("figures")} description={c.figures.length ? p("figuresChanged", { n: c.figures.length }) : undefined} />
        {c.figures.length === 0 ? (
          <EmptyState title={p("noChange")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="figure-diff">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-4 py-2 font-medium">{t("dashboard.unit")}</th>
                  <th className="px-4 py-2 font-medium">{p("figure")}</th>
                  <th className="px-4 py-2 text-right font-medium">{p("published")}</th>
                  <th className="px-4 py-2 text-right font-medium">{p("now")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular">
                {c.figures.map((f) => {
                  const l = figureLabel(f);
                  return (
                    <tr key={f.path} data-path={f.path}>
                      <td className="px-4 py-2 whitespace-nowrap">{l.unit}</td>
                      <td className="px-4 py-2">{l.what}</td>
                      <td className="px-4 py-2 text-right whitespace-nowrap">{figureValue(f, f.published)}</td>
                      <td className="px-4 py-2 text-right font-medium whitespace-nowrap">{figureValue(f, f.now)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card>
        <CardHeader title={p("rows")} description={p("rowsHint")} />
        {c.legacyRows && <p className="px-5 text-xs text-amber-700">{p("legacyRows")}</p>}
        {byKind.length === 0 ? (
          <EmptyState title={p("noRowChange")} />
        ) : (
          <div data-testid="row-diff">
            {byKind.map(([kind, rows]) => (
              <section key={kind} className="border-t border-slate-100 first:border-t-0">
                <h3 className="bg-slate-50 px-5 py-2 text-xs font-medium text-slate-600">{p(`rowKinds.${kind}`)} <span className="tabular text-slate-400">{rows.length}</span></h3>
                <ul className="divide-y divide-slate-100">
                  {rows.map((r) => {
                    const row = (r.now ?? r.published)!;
                    return (
                      <li key={`${r.kind}:${r.key}`} className="px-5 py-3 text-sm" data-kind={r.kind}>
                        <div className="flex flex-wrap items-center gap-2">
                          <Badge tone={r.change === "added" ? "green" : r.change === "removed" ? "red" : "amber"}>{p(`kind.${r.change}`)}</Badge>
                          {rowTitle(r.kind, row).map((part, i) => <span key={i} className={i === 0 ? "font-medium" : "text-slate-600"}>{part}</span>)}
                        </div>
                        {changedFields(r).length > 0 && (
                          <p className="mt-1 text-xs text-slate-600">
                            {changedFields(r).map((k) => `${rowField(k)}: ${rowValue(k, r.published!)} → ${rowValue(k, r.now!)}`).join("; ")}
                          </p>
                        )}
                        {r.changes.length > 0 && (
                          <ul className="mt-2 space-y-2 border-l-2 border-slate-100 pl-3">
                            {r.changes.map((ch) => (
                              <li key={ch.seq} className="text-xs text-slate-600">
                                <p><DateTime value={ch.at} /> · {ch.actorName ?? p("system")} · <span className="font-medium text-slate-800">{actionLabel(t, ch.action)}</span></p>
                                <AuditChanges entry={ch} names={c.names} />
                              </li>
                            ))}
                          </ul>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </div>
        )}
      </Card>
    </>
  );
}
