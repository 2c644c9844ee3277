import { TRPCError } from "@trpc/server";
import { CheckCircle2, ShieldAlert } from "lucide-react";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { Alert, Badge, Card, CardHeader, EmptyState, PageHeader } from "@/app/_components/ui/misc";
import { DateTime } from "@/app/_components/domain";
import { formatMoney, type TLocale } from "@/lib/money";

export async function generateMetadata() {
  return { title: (await getTranslations("publishedPage"))("title") };
}

export default async function PublishedPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const api = await serverApi();
  const c = await api.figures.compare({ id }).catch((err) => {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  });
  const t = await getTranslations("publishedPage");
  const locale = (await getLocale()) as TLocale;
  const fmt = (path: string, v: unknown) => {
    if (v === null || v === undefined) return "—";
    if (typeof v === "string" && /(funds|amount|target)$/.test(path) && /^\d/.test(v)) return formatMoney(v, /foreign/.test(path) ? "USD" : "CNY", locale);
    if (typeof v === "string" && /pct$/.test(path)) return `${v}%`;
    return String(v);
  };
  const back = `/dashboard?${new URLSearchParams({ unit: c.unit.code, from: c.from, to: c.to })}`;
  return (
    <>
      <PageHeader title={t("title")} description={`${c.unit.name} · ${c.from} – ${c.to}`}>
        <nav className="mb-1 text-xs text-slate-500"><Link href={back} className="hover:text-slate-800">← {t("back")}</Link></nav>
      </PageHeader>
      <Card className="mb-4 p-5">
        <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div><dt className="text-xs text-slate-500">{t("publishedAt")}</dt><dd><DateTime value={c.publishedAt} /></dd></div>
          <div><dt className="text-xs text-slate-500">{t("publishedBy")}</dt><dd>{c.publishedBy ?? "—"}</dd></div>
          <div><dt className="text-xs text-slate-500">{t("definition")}</dt><dd className="font-mono text-xs">{c.definitionVersion}{c.definitionVersion !== c.currentDefinitionVersion && <Badge tone="amber" className="ml-2">{t("definitionChanged", { v: c.currentDefinitionVersion })}</Badge>}</dd></div>
          <div><dt className="text-xs text-slate-500">{t("hash")}</dt><dd className="font-mono text-xs break-all">{c.hash}</dd></div>
        </dl>
        <div className="mt-4">
          {c.intact ? (
            <Alert tone="green" testId="integrity"><span className="inline-flex items-center gap-1.5"><CheckCircle2 className="size-4" aria-hidden />{t("intact")}</span></Alert>
          ) : (
            <Alert testId="integrity"><span className="inline-flex items-center gap-1.5"><ShieldAlert className="size-4" aria-hidden />{t("tampered")}</span></Alert>
          )}
        </div>
      </Card>
      <Card className="mb-4">
        <CardHeader title={t("figures")} description={c.figures.length ? t("figuresChanged", { n: c.figures.length }) : undefined} />
        {c.figures.length === 0 ? (
          <EmptyState title={t("noChange")} />
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="figure-diff">
              <thead className="bg-slate-50 text-left text-xs text-slate-500"><tr><th className="px-4 py-2 font-medium">{t("figure")}</th><th className="px-4 py-2 text-right font-medium">{t("published")}</th><th className="px-4 py-2 text-right font-medium">{t("now")}</th></tr></thead>
              <tbody className="divide-y divide-slate-100 tabular">
                {c.figures.map((f) => (
                  <tr key={f.path}>
                    <td className="px-4 py-2 font-mono text-xs">{f.path}</td>
                    <td className="px-4 py-2 text-right">{fmt(f.path, f.published)}</td>
                    <td className="px-4 py-2 text-right font-medium">{fmt(f.path, f.now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card>
        <CardHeader title={t("rows")} description={t("rowsHint")} />
        {c.rows.length === 0 ? (
          <EmptyState title={t("noRowChange")} />
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="row-diff">
            {c.rows.map((r) => {
              const row = (r.now ?? r.published)!;
              const currency = row.capital_type === "foreign" ? "USD" : "CNY";
              return (
                <li key={row.id} className="px-5 py-3 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge tone={r.kind === "added" ? "green" : r.kind === "removed" ? "red" : "amber"}>{t(`kind.${r.kind}`)}</Badge>
                    <span className="font-mono text-xs">{row.project_code}</span>
                    <span>{row.arrived_on}</span>
                    <span className="font-medium">
                      {r.published && r.now && r.published.amount !== r.now.amount ? `${formatMoney(r.published.amount, currency, locale)} → ${formatMoney(r.now.amount, currency, locale)}` : formatMoney(row.amount, currency, locale)}
                    </span>
                    <span className="text-xs text-slate-500">{row.unit}</span>
                  </div>
                  {r.changes.length > 0 && (
                    <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
                      {r.changes.map((ch, i) => (
                        <li key={i}>
                          <DateTime value={ch.at} /> · {ch.actorName ?? t("system")} · <span className="font-mono">{ch.action}</span>
                          {ch.fields.length > 0 && <span className="text-slate-500"> — {ch.fields.map((f) => `${f.field}: ${String(f.from)} → ${String(f.to)}`).join("; ")}</span>}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </>
  );
}
