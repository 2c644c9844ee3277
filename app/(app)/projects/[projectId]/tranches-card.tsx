"use client";
import { useMutation } from "@tanstack/react-query";
import { Check, FileText, Paperclip, Plus, Undo2, X } from "lucide-react";
import { VerifyDialog } from "@/app/_components/funds/verify-dialog";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TCurrency } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { dec, pctOf } from "@/lib/money";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { wanToUnits } from "@/app/_lib/amount-input";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Textarea } from "@/app/_components/ui/form";
import { Alert, Badge, Card, CardHeader, EmptyState } from "@/app/_components/ui/misc";
import { DateTime, Money } from "@/app/_components/domain";

export type TTrancheRow = {
  id: string;
  amount: string;
  arrivedOn: string;
  evidenceNo: string | null;
  note: string | null;
  status: "pending" | "verified" | "rejected";
  reportedBy: string | null;
  reportedByName: string | null;
  reportedAt: Date | string;
  verifiedByName: string | null;
  verifiedAt: Date | string | null;
  rejectReason: string | null;
  version: number;
  files: Array<{ id: string; filename: string; size: number }>;
};

const STATUS_TONE = { pending: "amber", verified: "green", rejected: "red" } as const;

export function TranchesCard({
  projectId,
  currency,
  signedAmount,
  tranches,
  canReport,
  canVerify,
  me,
}: {
  projectId: string;
  currency: TCurrency;
  signedAmount: string | null;
  tranches: TTrancheRow[];
  canReport: boolean;
  canVerify: boolean;
  me: { id: string; isAdmin: boolean };
}) {
  const t = useTranslations();
  const [dialog, setDialog] = useState<{ kind: "report" } | { kind: "verify" | "reject"; tranche: TTrancheRow } | { kind: "upload"; tranche: TTrancheRow } | null>(null);
  const verified = tranches.filter((x) => x.status === "verified").reduce((s, x) => s.plus(x.amount), dec(0));
  const pending = tranches.filter((x) => x.status === "pending").reduce((s, x) => s.plus(x.amount), dec(0));
  const rate = signedAmount ? pctOf(verified, signedAmount) : null;
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const withdraw = useMutation(trpc.funds.withdraw.mutationOptions({ onSuccess: () => router.refresh(), onError: (e) => setError(readError(e, t("errors.internal")).message) }));

  return (
    <Card data-testid="tranches-card">
      <CardHeader
        title={t("funds.title")}
        description={
          <span className="flex flex-wrap gap-x-4">
            <span>{t("funds.verifiedTotal")} <strong className="text-slate-800" data-testid="verified-total"><Money value={verified.toFixed(2)} currency={currency} /></strong></span>
            <span>{t("funds.pendingTotal")} <Money value={pending.toFixed(2)} currency={currency} /></span>
            {rate && <span>{t("funds.rate")} <strong className="text-slate-800">{rate}%</strong></span>}
          </span>
        }
        actions={canReport && (
          <Button size="sm" variant="primary" onClick={() => setDialog({ kind: "report" })} data-testid="report-tranche">
            <Plus className="size-3.5" aria-hidden />
            {t("funds.report")}
          </Button>
        )}
      />
      {error && <Alert className="mx-5 mt-3">{error}</Alert>}
      {tranches.length === 0 ? (
        <EmptyState title={t("funds.empty")}>{canReport ? t("funds.emptyHint") : null}</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="tranche-table">
            <thead className="bg-slate-50 text-left text-xs text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium whitespace-nowrap">{t("funds.arrivedOn")}</th>
                <th className="px-4 py-2 text-right font-medium">{t("funds.amount")}</th>
                <th className="px-4 py-2 font-medium">{t("funds.evidence")}</th>
                <th className="px-4 py-2 font-medium">{t("funds.status")}</th>
                <th className="px-4 py-2"><span className="sr-only">{t("common.actions")}</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tranches.map((x) => {
                const mine = x.reportedBy === me.id;
                return (
                  <tr key={x.id} id={`tranche-${x.id}`} className="scroll-mt-24 align-top target:bg-amber-50">
                    <td className="px-4 py-2.5 whitespace-nowrap tabular">{x.arrivedOn}</td>
                    <td className="px-4 py-2.5 text-right whitespace-nowrap font-medium"><Money value={x.amount} currency={currency} /></td>
                    <td className="px-4 py-2.5">
                      {x.evidenceNo && <div className="font-mono text-xs text-slate-700">{x.evidenceNo}</div>}
                      <ul className="mt-0.5 space-y-0.5">
                        {x.files.map((f) => (
                          <li key={f.id}>
                            <a href={`/api/evidence/${f.id}`} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-xs text-brand-700 hover:underline">
                              <FileText className="size-3" aria-hidden />
                              {f.filename}
                            </a>
                          </li>
                        ))}
                      </ul>
                      {x.note && <p className="mt-0.5 text-xs text-slate-500">{x.note}</p>}
                    </td>
                    <td className="px-4 py-2.5">
                      <Badge tone={STATUS_TONE[x.status]} data-testid="tranche-status">{t(`enums.trancheStatus.${x.status}`)}</Badge>
                      <p className="mt-1 text-xs text-slate-500">
                        {t("funds.reportedBy", { name: x.reportedByName ?? "—" })} · <DateTime value={x.reportedAt} />
                      </p>
                      {x.verifiedAt && (
                        <p className="text-xs text-slate-500">
                          {t(x.status === "rejected" ? "funds.rejectedBy" : "funds.verifiedBy", { name: x.verifiedByName ?? "—" })} · <DateTime value={x.verifiedAt} />
                        </p>
                      )}
                      {x.rejectReason && <p className="mt-0.5 text-xs text-red-700">{x.rejectReason}</p>}
                    </td>
                    <td className="px-4 py-2.5 text-right whitespace-nowrap">
                      {x.status === "pending" && canVerify && !mine && (
                        <>
                          <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "verify", tranche: x })} data-testid="verify-tranche">
                            <Check className="size-3.5" aria-hidden />
                            {t("funds.verify")}
                          </Button>
                          <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "reject", tranche: x })}>
                            <X className="size-3.5" aria-hidden />
                            {t("funds.reject")}
                          </Button>
                        </>
                      )}
                      {x.status === "pending" && canVerify && mine && <span className="text-xs text-slate-400">{t("funds.ownReport")}</span>}
                      {x.status === "pending" && canReport && (mine || me.isAdmin) && (
                        <>
                          <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "upload", tranche: x })} aria-label={t("funds.addFiles")}>
                            <Paperclip className="size-3.5" aria-hidden />
                          </Button>
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={t("funds.withdraw")}
                            onClick={() => { if (confirm(t("funds.confirmWithdraw"))) withdraw.mutate({ id: x.id, version: x.version }); }}
                          >
                            <Undo2 className="size-3.5" aria-hidden />
                          </Button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === "report" && <ReportDialog projectId={projectId} currency={currency} onClose={() => setDialog(null)} />}
      {(dialog?.kind === "verify" || dialog?.kind === "reject") && <VerifyDialog tranche={dialog.tranche} decision={dialog.kind} currency={currency} onClose={() => setDialog(null)} />}
      {dialog?.kind === "upload" && <UploadDialog trancheId={dialog.tranche.id} onClose={() => setDialog(null)} />}
    </Card>
  );
}

async function uploadFiles(trancheId: string, files: File[]) {
  if (!files.length) return;
  const body = new FormData();
  for (const f of files) body.append("file", f);
  const res = await fetch(`/api/tranches/${trancheId}/evidence`, { method: "POST", body });
  if (!res.ok) {
    const j = (await res.json().catch(() => ({}))) as { error?: string; fields?: Record<string, string> };
    throw new Error(j.fields?.file ?? j.error ?? res.statusText);
  }
}

function ReportDialog({ projectId, currency, onClose }: { projectId: string; currency: TCurrency; onClose: () => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const router = useRouter();
  // one key per opened form: submitting twice creates one tranche
  const [requestKey] = useState(() => `rt-${crypto.randomUUID()}`);
  const [error, setError] = useState<TClientError | null>(null);
  const [phase, setPhase] = useState<"idle" | "saving" | "uploading">("idle");
  const report = useMutation(trpc.funds.report.mutationOptions());

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const amount = wanToUnits(String(f.get("amount") ?? ""));
    if (!amount || /^0+(\.0+)?$/.test(amount)) return setError({ message: t("errors.invalidInput"), fields: { amount: t("funds.amountFormat") } });
    const files = (f.getAll("files") as File[]).filter((x) => x.size > 0);
    setError(null);
    setPhase("saving");
    try {
      const tr = await report.mutateAsync({
        projectId, amount, arrivedOn: String(f.get("arrivedOn")), evidenceNo: String(f.get("evidenceNo") ?? ""), note: String(f.get("note") ?? ""), requestKey,
      });
      setPhase("uploading");
      try {
        await uploadFiles(tr.id, files);
      } catch (err) {
        router.refresh();
        setPhase("idle");
        return setError({ message: t("funds.savedFilesFailed", { reason: (err as Error).message }), fields: {} });
      }
      onClose();
      router.refresh();
    } catch (err) {
      setPhase("idle");
      setError(readError(err, t("errors.internal")));
    }
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("funds.report")}
      description={t("funds.reportHint")}
      closeLabel={t("common.close")}
      testId="tranche-dialog"
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="tranche-form" variant="primary" disabled={phase !== "idle"} data-testid="tranche-submit">
            {phase === "saving" ? t("common.saving") : phase === "uploading" ? t("funds.uploading") : t("funds.submit")}
          </Button>
        </>
      }
    >
      <form id="tranche-form" onSubmit={submit} className="space-y-4" noValidate>
        {error && <Alert testId="tranche-error">{error.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="amount" label={t("common.withNote", { text: t("funds.amount"), note: currency === "USD" ? t("common.wanUsd") : t("common.wanCny") })} required error={error?.fields.amount}>
            <Input id="amount" name="amount" inputMode="decimal" invalid={!!error?.fields.amount} data-testid="tranche-amount" />
          </Field>
          <Field id="arrivedOn" label={t("funds.arrivedOn")} required error={error?.fields.arrivedOn}>
            <Input id="arrivedOn" name="arrivedOn" type="date" max={todayCN()} defaultValue={todayCN()} invalid={!!error?.fields.arrivedOn} data-testid="tranche-date" />
          </Field>
        </div>
        <Field id="evidenceNo" label={t("funds.evidenceNo")} hint={t("funds.evidenceNoHint")} error={error?.fields.evidenceNo}>
          <Input id="evidenceNo" name="evidenceNo" className="font-mono" data-testid="tranche-evidence" />
        </Field>
        <Field id="files" label={t("funds.files")} hint={t("funds.filesHint")}>
          <input id="files" name="files" type="file" multiple accept="application/pdf,image/png,image/jpeg,image/webp" className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-200" data-testid="tranche-files" />
        </Field>
        <Field id="tnote" label={t("funds.note")}>
          <Textarea id="tnote" name="note" />
        </Field>
        {error?.fields.projectId && <Alert>{error.fields.projectId}</Alert>}
      </form>
    </Dialog>
  );
}

function UploadDialog({ trancheId, onClose }: { trancheId: string; onClose: () => void }) {
  const t = useTranslations();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("funds.addFiles")}
      closeLabel={t("common.close")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="upload-form" variant="primary" disabled={busy}>{busy ? t("funds.uploading") : t("funds.upload")}</Button>
        </>
      }
    >
      <form
        id="upload-form"
        className="space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          const files = (new FormData(e.currentTarget).getAll("files") as File[]).filter((x) => x.size > 0);
          setBusy(true);
          try {
            await uploadFiles(trancheId, files);
            onClose();
            router.refresh();
          } catch (err) {
            setError((err as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        {error && <Alert>{error}</Alert>}
        <Field id="more-files" label={t("funds.files")} hint={t("funds.filesHint")}>
          <input id="more-files" name="files" type="file" multiple accept="application/pdf,image/png,image/jpeg,image/webp" className="block w-full text-sm" />
        </Field>
      </form>
    </Dialog>
  );
}
