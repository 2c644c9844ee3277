"use client";
import { useMutation } from "@tanstack/react-query";
import { LockOpen } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Textarea } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";

/** An admin reopens a lock, with a reason (audited, and shown on the dashboard for the period). */
export function ReopenDialog({ lock }: { lock: { id: string; version: number; unitName: string; period: string; locked: string } }) {
  const t = useTranslations("locks");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<TClientError | null>(null);
  const reopen = useMutation(
    trpc.locks.reopen.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        router.refresh();
      },
      onError: (e) => setError(readError(e, tc("reload"))),
    }),
  );
  const close = () => {
    setOpen(false);
    setError(null);
  };
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)} data-testid="reopen-open">
        <LockOpen className="size-3.5" aria-hidden />
        {t("reopen")}
      </Button>
      {open && (
        <Dialog
          open
          onClose={close}
          title={t("reopenTitle")}
          closeLabel={tc("close")}
          testId="reopen-dialog"
          footer={
            <>
              <Button onClick={close}>{tc("cancel")}</Button>
              <Button type="submit" form="reopen-form" variant="danger" disabled={reopen.isPending} data-testid="reopen-submit">
                {t("reopenSubmit")}
              </Button>
            </>
          }
        >
          <form
            id="reopen-form"
            className="space-y-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              reopen.mutate({ id: lock.id, version: lock.version, reason: String(new FormData(e.currentTarget).get("reason") ?? "") });
            }}
          >
            {error && <Alert>{error.message}</Alert>}
            <dl className="grid grid-cols-2 gap-3 rounded-md bg-slate-50 p-4 text-sm">
              <div><dt className="text-xs text-slate-500">{t("unit")}</dt><dd className="font-medium">{lock.unitName}</dd></div>
              <div><dt className="text-xs text-slate-500">{t("periodCol")}</dt><dd className="font-medium">{lock.period}</dd></div>
              <div className="col-span-2"><dt className="text-xs text-slate-500">{t("locked")}</dt><dd>{lock.locked}</dd></div>
            </dl>
            <p className="text-sm text-slate-600">{t("reopenHint")}</p>
            <Field id="reopen-reason" label={t("reopenReason")} required error={error?.fields.reason}>
              <Textarea id="reopen-reason" name="reason" invalid={!!error?.fields.reason} data-testid="reopen-reason" />
            </Field>
          </form>
        </Dialog>
      )}
    </>
  );
}
