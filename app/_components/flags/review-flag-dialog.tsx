"use client";
import { useMutation } from "@tanstack/react-query";
import { CheckCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Textarea } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";

/** "Mark reviewed" for leaders and admins: a note is required; the flag stays listed, as reviewed. */
export function ReviewFlagButton({ flagKey, title, summary }: { flagKey: string; title: string; summary: string[] }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<TClientError | null>(null);
  const close = () => {
    setOpen(false);
    setError(null);
  };
  const review = useMutation(
    trpc.flags.review.mutationOptions({
      onSuccess: () => {
        close();
        router.refresh();
      },
      onError: (e) => setError(readError(e, t("errors.internal"))),
    }),
  );
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)} data-testid="flag-review">
        <CheckCheck className="size-3.5" aria-hidden />
        {t("flags.markReviewed")}
      </Button>
      {open && (
        <Dialog
          open
          onClose={close}
          title={t("flags.reviewTitle")}
          closeLabel={t("common.close")}
          testId="flag-review-dialog"
          footer={
            <>
              <Button onClick={close}>{t("common.cancel")}</Button>
              <Button type="submit" form="flag-review-form" variant="primary" disabled={review.isPending} data-testid="flag-review-submit">
                {t("flags.submit")}
              </Button>
            </>
          }
        >
          <form
            id="flag-review-form"
            className="space-y-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              review.mutate({ key: flagKey, note: String(new FormData(e.currentTarget).get("note") ?? "") });
            }}
          >
            {error && <Alert>{error.message}</Alert>}
            <div className="rounded-md bg-slate-50 p-4 text-sm">
              <p className="font-medium text-slate-900">{title}</p>
              {summary.map((line, i) => (
                <p key={i} className="mt-1 text-slate-600">{line}</p>
              ))}
            </div>
            <p className="text-sm text-slate-600">{t("flags.reviewHint")}</p>
            <Field id="flag-note" label={t("flags.note")} required error={error?.fields.note}>
              <Textarea id="flag-note" name="note" maxLength={1000} invalid={!!error?.fields.note} data-testid="flag-review-note" />
            </Field>
          </form>
        </Dialog>
      )}
    </>
  );
}
