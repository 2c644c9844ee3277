"use client";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TCurrency } from "@/lib/domain";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Textarea } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";
import { Money } from "@/app/_components/domain";

export type TVerifiable = { id: string; version: number; amount: string; arrivedOn: string; evidenceNo: string | null; files: unknown[] | number };

/** Verify or reject a pending tranche (leaders and admins who did not report it). */
export function VerifyDialog({ tranche, decision, currency, onClose }: { tranche: TVerifiable; decision: "verify" | "reject"; currency: TCurrency; onClose: () => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<TClientError | null>(null);
  const verify = useMutation(trpc.funds.verify.mutationOptions({ onSuccess: () => { onClose(); router.refresh(); }, onError: (e) => setError(readError(e, t("errors.internal"))) }));
  return (
    <Dialog
      open
      onClose={onClose}
      title={t(decision === "verify" ? "funds.verifyTitle" : "funds.rejectTitle")}
      closeLabel={t("common.close")}
      testId="verify-dialog"
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="verify-form" variant={decision === "verify" ? "primary" : "danger"} disabled={verify.isPending} data-testid="verify-submit">
            {t(decision === "verify" ? "funds.verify" : "funds.reject")}
          </Button>
        </>
      }
    >
      <form
        id="verify-form"
        onSubmit={(e) => {
          e.preventDefault();
          const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
          verify.mutate(decision === "verify" ? { id: tranche.id, version: tranche.version, decision } : { id: tranche.id, version: tranche.version, decision, reason });
        }}
        className="space-y-4"
        noValidate
      >
        {error && <Alert>{error.message}</Alert>}
        <dl className="grid grid-cols-2 gap-3 rounded-md bg-slate-50 p-4 text-sm">
          <div><dt className="text-xs text-slate-500">{t("funds.amount")}</dt><dd className="font-medium"><Money value={tranche.amount} currency={currency} /></dd></div>
          <div><dt className="text-xs text-slate-500">{t("funds.arrivedOn")}</dt><dd>{tranche.arrivedOn}</dd></div>
          <div><dt className="text-xs text-slate-500">{t("funds.evidenceNo")}</dt><dd className="font-mono">{tranche.evidenceNo ?? "—"}</dd></div>
          <div><dt className="text-xs text-slate-500">{t("funds.files")}</dt><dd>{Array.isArray(tranche.files) ? tranche.files.length : tranche.files}</dd></div>
        </dl>
        {decision === "verify" ? (
          <p className="text-sm text-slate-600">{t("funds.verifyHint")}</p>
        ) : (
          <Field id="reason" label={t("project.reason")} required error={error?.fields.reason}>
            <Textarea id="reason" name="reason" invalid={!!error?.fields.reason} data-testid="reject-reason" />
          </Field>
        )}
      </form>
    </Dialog>
  );
}

