"use client";
import { CheckCircle2, Download, FileSpreadsheet, Upload } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRef, useState } from "react";
import type { TLocalizedImportResult } from "@/server/imports/localize";
import { Button } from "@/app/_components/ui/button";
import { Select } from "@/app/_components/ui/form";
import { Alert, Badge, Card, CardHeader } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";

type TKind = "units" | "projects" | "tranches" | "targets";
type TCol = { key: string; zh: string; en: string; required: boolean; amount: boolean };
type TProgress = { phase: "upload" | "read" | "validate" | "write"; done: number; total: number };

const EXAMPLES: Record<TKind, Record<string, string>> = {
  units: { code: "210200-GX", name: "大连高新技术产业园区", parent_code: "210200", kind: "zone" },
  projects: {
    code: "LN-2026-0901", name: "年产10万吨高性能聚烯烃项目", capital_type: "内资", unit: "大连市", investor: "江苏恒瑞新材料科技有限公司", investor_origin: "江苏",
    credit_code: "", industry: "石化及精细化工", source_channel: "展会", planned_amount: "250000", stage: "签约", status: "推进中", status_reason: "",
    contact_date: "2026-03-02", negotiation_date: "2026/4/15", signed_date: "2026年6月30日", signed_amount: "230000", owner_email: "", notes: "",
  },
  tranches: { project_code: "LN-2026-0901", arrived_on: "2026-08-20", amount: "5000", verified: "否", evidence_no: "YH20260820001", note: "首笔资金" },
  targets: { unit: "大连市", year: "2027", metric: "实际到位内资", value: "260" },
};

/** POST with upload progress, reading the server's progress lines as they arrive. */
type TSent = { result?: TLocalizedImportResult; error?: string; code?: string };
function send(form: FormData, onProgress: (p: TProgress) => void): Promise<TSent> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    let seen = 0;
    let final: TSent = {};
    const readLines = () => {
      const text = xhr.responseText;
      const lines = text.slice(seen).split("\n");
      const complete = lines.slice(0, -1);
      seen += complete.reduce((n, l) => n + l.length + 1, 0);
      for (const line of complete) {
        if (!line.trim()) continue;
        const m = JSON.parse(line) as { type: string; phase?: TProgress["phase"]; done?: number; total?: number; result?: TLocalizedImportResult; message?: string; code?: string };
        if (m.type === "progress") onProgress({ phase: m.phase!, done: m.done!, total: m.total! });
        if (m.type === "result") final = { result: m.result };
        if (m.type === "error") final = { error: m.message, code: m.code };
      }
    };
    xhr.upload.onprogress = (e) => onProgress({ phase: "upload", done: e.loaded, total: e.total || 1 });
    xhr.onprogress = readLines;
    xhr.onload = () => {
      if (xhr.status !== 200) {
        try {
          resolve({ error: (JSON.parse(xhr.responseText) as { error?: string }).error ?? xhr.statusText });
        } catch {
          resolve({ error: xhr.statusText });
        }
        return;
      }
      readLines();
      resolve(final);
    };
    xhr.onerror = () => resolve({ error: "network" });
    xhr.open("POST", "/api/import");
    xhr.send(form);
  });
}

export function ImportWizard({ kinds, columns, limits }: { kinds: TKind[]; columns: Record<string, TCol[]>; limits: { mb: number; rows: number; unzippedMb: number } }) {
  const t = useTranslations("import");
  const locale = useLocale();
  const [kind, setKind] = useState<TKind>(kinds.includes("projects") ? "projects" : kinds[0]!);
  const [file, setFile] = useState<File | null>(null);
  const [sheet, setSheet] = useState<string | null>(null);
  const [progress, setProgress] = useState<TProgress | null>(null);
  const [preview, setPreview] = useState<TLocalizedImportResult | null>(null);
  const [done, setDone] = useState<TLocalizedImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const busy = progress !== null;

  async function run(dryRun: boolean, f = file, s = sheet) {
    if (!f) return;
    setError(null);
    setDone(null);
    if (dryRun) setPreview(null);
    const form = new FormData();
    form.set("kind", kind);
    form.set("file", f);
    if (s) form.set("sheet", s);
    form.set("dryRun", dryRun ? "1" : "0");
    setProgress({ phase: "upload", done: 0, total: 1 });
    const res = await send(form, setProgress);
    setProgress(null);
    if (res.error && res.code === "CONFLICT" && !dryRun) {
      // changed by someone else since the preview: show the fresh preview, and say why
      await run(true, f, s);
      return setError(res.error);
    }
    if (res.error) return setError(res.error === "network" ? t("network") : res.error);
    if (!res.result) return setError(t("network"));
    if (dryRun) setPreview(res.result);
    else if (res.result.applied) {
      setDone(res.result);
      setPreview(null);
    } else setPreview(res.result);
  }

  function choose(f: File | null) {
    setFile(f);
    setSheet(null);
    setPreview(null);
    setDone(null);
    if (f) void run(true, f, null);
  }

  function downloadTemplate() {
    const cols = columns[kind]!;
    const header = cols.map((c) => (locale === "en" ? c.en : c.zh) + (c.amount ? (kind === "targets" ? "(亿元)" : "(万元)") : ""));
    const example = cols.map((c) => EXAMPLES[kind][c.key] ?? "");
    const csv = `\uFEFF${[header, example].map((r) => r.map((x) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(",")).join("\r\n")}\r\n`;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    a.download = `${t(`kinds.${kind}`)}-${t("template")}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  }

  const pct = progress ? Math.round((progress.done / Math.max(1, progress.total)) * 100) : 0;
  return (
    <div className="grid gap-5 xl:grid-cols-[1fr_24rem]">
      <div className="space-y-5">
        <Card>
          <div className="space-y-4 p-5">
            <div role="tablist" aria-label={t("kind")} className="inline-flex flex-wrap rounded-md p-0.5 ring-1 ring-slate-200">
              {kinds.map((k) => (
                <button key={k} type="button" role="tab" aria-selected={kind === k} disabled={busy} onClick={() => { setKind(k); choose(null); if (input.current) input.current.value = ""; }} data-testid={`import-kind-${k}`}
                  className={cn("rounded px-3 py-1.5 text-sm", kind === k ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100")}>
                  {t(`kinds.${k}`)}
                </button>
              ))}
            </div>
            <label
              className={cn("flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed border-slate-300 px-6 py-10 text-center hover:border-brand-500 hover:bg-brand-50/40", busy && "pointer-events-none opacity-60")}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => { e.preventDefault(); choose(e.dataTransfer.files[0] ?? null); }}
            >
              <Upload className="size-6 text-slate-400" aria-hidden />
              <span className="text-sm font-medium text-slate-700">{file ? file.name : t("drop")}</span>
              <span className="text-xs text-slate-500">{t("limits", limits)}</span>
              <input ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" className="sr-only" onChange={(e) => choose(e.target.files?.[0] ?? null)} data-testid="import-file" />
            </label>
            {progress && (
              <div data-testid="import-progress">
                <div className="mb-1 flex justify-between gap-3 text-xs text-slate-600">
                  <span>{t(`phase.${progress.phase}`)}</span>
                  <span className="tabular">
                    {progress.phase === "validate" || progress.phase === "write" ? `${t("progressRows", { done: progress.done, total: progress.total })} · ` : ""}
                    {pct}%
                  </span>
                </div>
                <div className="h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label={t(`phase.${progress.phase}`)} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                  <div className="h-full bg-brand-600 transition-all" style={{ width: `${pct}%` }} />
                </div>
              </div>
            )}
            {error && <Alert testId="import-error">{error}</Alert>}
          </div>
        </Card>

        {preview && (
          <Card data-testid="import-preview">
            <CardHeader
              title={t("previewTitle")}
              description={`${t("fileInfo", { rows: preview.totalRows, encoding: preview.encoding })}${preview.headerRow > 1 ? t("headerAt", { row: preview.headerRow }) : ""}`}
              actions={preview.sheets.length > 1 && (
                <Select aria-label={t("sheet")} className="w-auto" value={sheet ?? preview.sheet ?? ""} onChange={(e) => { setSheet(e.target.value); void run(true, file, e.target.value); }} data-testid="import-sheet">
                  {preview.sheets.map((s) => <option key={s} value={s}>{s}</option>)}
                </Select>
              )}
            />
            <div className="grid grid-cols-2 gap-3 px-5 py-4 sm:grid-cols-4">
              {(["new", "updated", "unchanged"] as const).map((k) => (
                <div key={k} className="rounded-md bg-slate-50 px-4 py-3">
                  <p className="text-xs text-slate-500">{t(`count.${k}`)}</p>
                  <p className="text-xl font-semibold tabular" data-testid={`import-count-${k}`}>{preview.counts[k]}</p>
                </div>
              ))}
              <div className={cn("rounded-md px-4 py-3", preview.errors.length ? "bg-red-50" : "bg-emerald-50")}>
                <p className="text-xs text-slate-500">{t("count.errors")}</p>
                <p className={cn("text-xl font-semibold tabular", preview.errors.length ? "text-red-700" : "text-emerald-700")} data-testid="import-count-errors">{preview.errors.length}</p>
              </div>
            </div>
            {preview.errors.length > 0 ? (
              <div className="border-t border-slate-100">
                <p className="px-5 pt-4 text-sm text-red-700">{t("fixAndRetry")}</p>
                <div className="max-h-96 overflow-auto px-5 py-3">
                  <table className="min-w-full text-sm" data-testid="import-errors">
                    <thead className="text-left text-xs text-slate-500"><tr><th className="py-1.5 pr-4 font-medium">{t("row")}</th><th className="py-1.5 pr-4 font-medium">{t("column")}</th><th className="py-1.5 font-medium">{t("reason")}</th></tr></thead>
                    <tbody className="divide-y divide-slate-100">
                      {preview.errors.map((e, i) => (
                        <tr key={i}><td className="py-1.5 pr-4 tabular">{e.row}</td><td className="py-1.5 pr-4 whitespace-nowrap">{e.column ?? "—"}</td><td className="py-1.5 text-red-700">{e.message}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            ) : (
              <div className="border-t border-slate-100 px-5 py-4">
                {preview.sample.length > 0 && (
                  <ul className="mb-4 max-h-64 space-y-1 overflow-auto text-sm" data-testid="import-sample">
                    {preview.sample.map((s) => (
                      <li key={s.row} className="flex gap-2">
                        <Badge tone={s.action === "new" ? "green" : "amber"}>{t(`count.${s.action}`)}</Badge>
                        <span className="font-mono text-xs">{s.key}</span>
                        <span className="truncate text-slate-600">{s.changes.join("；")}</span>
                      </li>
                    ))}
                  </ul>
                )}
                <div className="flex items-center justify-between gap-3">
                  <p className="text-sm text-slate-600">{preview.counts.new + preview.counts.updated === 0 ? t("nothingToDo") : t("allOrNothing")}</p>
                  <Button variant="primary" onClick={() => run(false)} disabled={busy || preview.counts.new + preview.counts.updated === 0} data-testid="import-confirm">
                    <FileSpreadsheet className="size-4" aria-hidden />
                    {t("confirm", { n: preview.counts.new + preview.counts.updated })}
                  </Button>
                </div>
              </div>
            )}
          </Card>
        )}
        {done && (
          <Alert tone="green" testId="import-done">
            <span className="inline-flex items-center gap-1.5 font-medium"><CheckCircle2 className="size-4" aria-hidden />{t("done", { new: done.counts.new, updated: done.counts.updated, unchanged: done.counts.unchanged })}</span>
            {(kind === "projects" || kind === "tranches") && <Link href="/projects" className="ml-2 underline">{t("toProjects")}</Link>}
          </Alert>
        )}
      </div>

      <Card className="h-fit">
        <CardHeader title={t("columnsTitle", { kind: t(`kinds.${kind}`) })} actions={<Button size="sm" onClick={downloadTemplate} data-testid="import-template"><Download className="size-3.5" aria-hidden />{t("template")}</Button>} />
        <ul className="divide-y divide-slate-100 text-sm">
          {columns[kind]!.map((c) => (
            <li key={c.key} className="flex items-center justify-between gap-2 px-5 py-2">
              <span>
                {locale === "en" ? c.en : c.zh}
                {c.required && <span className="ml-0.5 text-red-600">*</span>}
                {locale === "en" && <span className="ml-1.5 text-xs text-slate-400">{c.zh}</span>}
              </span>
              <span className="font-mono text-xs text-slate-500">{c.key}</span>
            </li>
          ))}
        </ul>
        <div className="space-y-1.5 border-t border-slate-100 px-5 py-4 text-xs text-slate-500">
          <p data-testid="import-limits">{t("rules.limits", limits)}</p>
          <p>{t("rules.headers")}</p>
          <p>{t("rules.amounts")}</p>
          <p>{t("rules.dates")}</p>
          <p>{t(`rules.${kind}`)}</p>
        </div>
      </Card>
    </div>
  );
}
