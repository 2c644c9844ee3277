"use client";
import { useMutation } from "@tanstack/react-query";
import { ArrowRightLeft } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { STAGES, STATUSES, type TCurrency, type TStage, type TStatus } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { moveRequirements } from "@/lib/stage-rules";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { wanToUnits } from "@/app/_lib/amount-input";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";

export type TMovable = { id: string; version: number; stage: TStage; status: TStatus; currency: TCurrency };

export function StageMoveButton({ project }: { project: TMovable }) {
  const t = useTranslations("stageMove");
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)} data-testid="change-stage">
        <ArrowRightLeft className="size-4" aria-hidden />
        {t("open")}
      </Button>
      {open && <StageMoveDialog project={project} onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * Asks for what a stage/status change needs: the business date and a note always; the signed
 * amount when entering `signed`; a reason when moving back or to `lost`. `funds` is not offered.
 */
export function StageMoveDialog({
  project,
  initialStage,
  onClose,
  onDone,
}: {
  project: TMovable;
  initialStage?: TStage;
  onClose: () => void;
  onDone?: () => void;
}) {
  const t = useTranslations();
  const router = useRouter();
  const trpc = useTRPC();
  const [toStage, setToStage] = useState<TStage>(initialStage ?? project.stage);
  const [toStatus, setToStatus] = useState<TStatus>(initialStage && project.status === "lost" ? "active" : project.status);
  const [businessDate, setBusinessDate] = useState(todayCN());
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const [signedWan, setSignedWan] = useState("");
  const [error, setError] = useState<TClientError | null>(null);
  const req = moveRequirements({ stage: project.stage, status: project.status }, { stage: toStage, status: toStatus });
  const unitLabel = project.currency === "USD" ? t("common.wanUsd") : t("common.wanCny");

  const move = useMutation(
    trpc.projects.moveStage.mutationOptions({
      onSuccess: () => {
        onDone?.();
        onClose();
        router.refresh();
      },
      onError: (err) => setError(readError(err, t("errors.internal"))),
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    let signedAmount: string | null = null;
    if (req.needsSigning) {
      signedAmount = wanToUnits(signedWan);
      if (!signedAmount || /^0+(\.0+)?$/.test(signedAmount)) {
        setError({ message: t("errors.invalidInput"), fields: { signedAmount: t("errors.stage.signedAmountRequired") } });
        return;
      }
    }
    move.mutate({
      id: project.id,
      version: project.version,
      toStage,
      toStatus,
      businessDate,
      note: note || null,
      reason: req.needsReason ? reason : null,
      signedAmount,
    });
  }

  const stale = error?.code === "CONFLICT";
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("stageMove.title")}
      description={t("stageMove.description")}
      testId="stage-dialog"
      closeLabel={t("common.close")}
      footer={
        <>
          <Button onClick={onClose} data-testid="stage-cancel">{t("common.cancel")}</Button>
          <Button variant="primary" type="submit" form="stage-move-form" disabled={move.isPending} data-testid="stage-submit">
            {move.isPending ? t("common.saving") : t("stageMove.submit")}
          </Button>
        </>
      }
    >
      <form id="stage-move-form" onSubmit={submit} className="space-y-4" noValidate>
        {error && (
          <Alert testId="stage-error">
            {error.fields.to ?? error.message}
            {stale && (
              <button type="button" className="ml-2 underline" onClick={() => { onClose(); router.refresh(); }}>
                {t("common.reload")}
              </button>
            )}
          </Alert>
        )}
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-slate-700">{t("stageMove.toStage")}</legend>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {STAGES.map((s) => {
              const disabled = s === "funds" && project.stage !== "funds";
              return (
                <label
                  key={s}
                  className={cn(
                    "flex cursor-pointer flex-col rounded-md px-3 py-2 text-sm ring-1 ring-inset",
                    toStage === s ? "bg-brand-50 font-medium text-brand-800 ring-brand-500" : "ring-slate-300 hover:bg-slate-50",
                    disabled && "cursor-not-allowed opacity-50 hover:bg-transparent",
                  )}
                  title={disabled ? t("stageMove.fundsHint") : undefined}
                >
                  <input type="radio" name="toStage" value={s} checked={toStage === s} disabled={disabled} onChange={() => setToStage(s)} className="sr-only" data-testid={`to-stage-${s}`} />
                  {t(`enums.stage.${s}`)}
                  {s === project.stage && <span className="text-xs font-normal text-slate-500">{t("stageMove.current")}</span>}
                </label>
              );
            })}
          </div>
          {project.stage !== "funds" && <p className="mt-1.5 text-xs text-slate-500">{t("stageMove.fundsHint")}</p>}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="toStatus" label={t("project.status")}>
            <Select id="toStatus" value={toStatus} onChange={(e) => setToStatus(e.target.value as TStatus)} data-testid="to-status">
              {STATUSES.map((s) => (
                <option key={s} value={s}>{t(`enums.status.${s}`)}</option>
              ))}
            </Select>
          </Field>
          <Field id="businessDate" label={req.needsSigning ? t("project.signedOn") : t("project.businessDate")} required error={error?.fields.businessDate} hint={t("stageMove.dateHint")}>
            <Input id="businessDate" type="date" value={businessDate} max={todayCN()} onChange={(e) => setBusinessDate(e.target.value)} required invalid={!!error?.fields.businessDate} data-testid="business-date" />
          </Field>
        </div>
        {req.needsSigning && (
          <Field id="signedAmount" label={t("common.withNote", { text: t("project.signedAmount"), note: unitLabel })} required error={error?.fields.signedAmount}>
            <Input id="signedAmount" inputMode="decimal" value={signedWan} onChange={(e) => setSignedWan(e.target.value)} placeholder="18000" invalid={!!error?.fields.signedAmount} data-testid="signed-amount" />
          </Field>
        )}
        {req.needsReason && (
          <Field id="reason" label={t("project.reason")} required error={error?.fields.reason} hint={t("stageMove.reasonHint")}>
            <Textarea id="reason" value={reason} onChange={(e) => setReason(e.target.value)} invalid={!!error?.fields.reason} data-testid="move-reason" />
          </Field>
        )}
        <Field id="note" label={t("stageMove.note")} error={error?.fields.note}>
          <Textarea id="note" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("stageMove.notePlaceholder")} data-testid="move-note" />
        </Field>
      </form>
    </Dialog>
  );
}
