"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { TARGET_METRICS, type TTargetMetric } from "@/lib/domain";
import { dec } from "@/lib/money";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Input, Select } from "@/app/_components/ui/form";
import { Alert, Card } from "@/app/_components/ui/misc";

type TCell = { value: string; version: number } | null;
type TRow = { id: string; code: string; name: string; values: Record<TTargetMetric, TCell> };

// funds targets are typed in 亿 (亿元 / 亿美元), the signed-projects target as a count
const toDisplay = (m: TTargetMetric, v: string) => (m === "signed_projects" ? dec(v).toFixed(0) : dec(v).div(1e8).toFixed());
const fromDisplay = (m: TTargetMetric, s: string) => {
  const x = s.trim().replace(/[,，]/g, "");
  if (m === "signed_projects") return /^\d{1,6}$/.test(x) ? `${x}.00` : null;
  return /^\d{1,8}(\.\d{1,8})?$/.test(x) ? dec(x).times(1e8).toFixed(2) : null;
};

export function TargetsGrid({ year, unit, years, units, rows, editable }: { year: number; unit: string; years: number[]; units: Array<{ code: string; name: string; depth: number }>; rows: TRow[]; editable: boolean }) {
  const t = useTranslations();
  const router = useRouter();
  const pathname = usePathname();
  const trpc = useTRPC();
  const initial = Object.fromEntries(rows.flatMap((r) => TARGET_METRICS.map((m) => [`${r.id}:${m}`, r.values[m] ? toDisplay(m, r.values[m]!.value) : ""])));
  const [draft, setDraft] = useState<Record<string, string>>(initial);
  const [message, setMessage] = useState<{ tone: "red" | "green"; text: string } | null>(null);
  const save = useMutation(
    trpc.targets.set.mutationOptions({
      onSuccess: (r) => { setMessage({ tone: "green", text: t("targets.saved", { n: r.changed }) }); router.refresh(); },
      onError: (e) => setMessage({ tone: "red", text: readError(e, t("errors.internal")).message }),
    }),
  );
  const changed = Object.keys(draft).filter((k) => draft[k] !== initial[k]);
  const invalid = changed.filter((k) => draft[k] !== "" && !fromDisplay(k.split(":")[1] as TTargetMetric, draft[k]!));

  function submit() {
    setMessage(null);
    const entries = changed
      .filter((k) => draft[k] !== "")
      .map((k) => {
        const [unitId, metric] = k.split(":") as [string, TTargetMetric];
        const cell = rows.find((r) => r.id === unitId)!.values[metric];
        return { unitId, metric, value: fromDisplay(metric, draft[k]!)!, version: cell?.version ?? null };
      });
    if (entries.length) save.mutate({ year, entries });
  }
  const go = (q: Record<string, string>) => router.push(`${pathname}?${new URLSearchParams({ unit, year: String(year), ...q })}`);

  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-3">
        <Select aria-label={t("targets.year")} className="w-auto" value={year} onChange={(e) => go({ year: e.target.value })} data-testid="targets-year">
          {years.map((y) => <option key={y} value={y}>{t("targets.yearLabel", { year: y })}</option>)}
        </Select>
        <Select aria-label={t("project.unit")} className="w-auto" value={unit} onChange={(e) => go({ unit: e.target.value })}>
          {units.map((u) => <option key={u.code} value={u.code}>{`${"\u3000".repeat(u.depth)}${u.name}`}</option>)}
        </Select>
        <span className="ml-auto text-xs text-slate-500">{t("targets.units")}</span>
      </div>
      {message && <Alert tone={message.tone} className="m-4" testId="targets-message">{message.text}</Alert>}
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="targets-table">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">{t("project.unit")}</th>
              {TARGET_METRICS.map((m) => <th key={m} className="px-4 py-2.5 text-right font-medium whitespace-nowrap">{t(`targets.metric.${m}`)}</th>)}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r, i) => (
              <tr key={r.id} className={i === 0 ? "bg-brand-50/40 font-medium" : undefined}>
                <td className="px-4 py-2 whitespace-nowrap">{r.name}</td>
                {TARGET_METRICS.map((m) => {
                  const k = `${r.id}:${m}`;
                  const bad = invalid.includes(k);
                  return (
                    <td key={m} className="px-4 py-1.5 text-right">
                      {editable ? (
                        <Input
                          value={draft[k] ?? ""}
                          onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
                          inputMode="decimal"
                          aria-label={`${r.name} ${t(`targets.metric.${m}`)}`}
                          className="ml-auto w-32 text-right tabular"
                          invalid={bad}
                          data-testid={`target-${r.code}-${m}`}
                        />
                      ) : (
                        <span className="tabular">{draft[k] || "—"}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable && (
        <div className="flex items-center justify-end gap-3 border-t border-slate-100 px-4 py-3">
          {invalid.length > 0 && <span className="text-xs text-red-600">{t("targets.invalid")}</span>}
          <span className="text-xs text-slate-500">{t("targets.changed", { n: changed.length })}</span>
          <Button variant="primary" onClick={submit} disabled={!changed.length || invalid.length > 0 || save.isPending} data-testid="save-targets">
            {save.isPending ? t("common.saving") : t("common.save")}
          </Button>
        </div>
      )}
    </Card>
  );
}
