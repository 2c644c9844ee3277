"use client";
import { useMutation } from "@tanstack/react-query";
import { Stamp } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Alert } from "@/app/_components/ui/misc";

export function PublishButton({ unit, from, to }: { unit: string; from: string; to: string }) {
  const t = useTranslations("dashboard");
  const tc = useTranslations("common");
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trpc = useTRPC();
  const router = useRouter();
  const publish = useMutation(trpc.figures.publish.mutationOptions({ onSuccess: () => { setOpen(false); router.refresh(); }, onError: (e) => setError(readError(e, tc("reload")).message) }));
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)} data-testid="publish">
        <Stamp className="size-3.5" aria-hidden />
        {t("publish")}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={t("publishTitle")}
        description={t("publishBody", { from, to })}
        closeLabel={tc("close")}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>{tc("cancel")}</Button>
            <Button variant="primary" onClick={() => publish.mutate({ unit, from, to })} disabled={publish.isPending} data-testid="publish-confirm">{t("publish")}</Button>
          </>
        }
      >
        {error ? <Alert>{error}</Alert> : <p className="text-sm text-slate-600">{t("publishNote")}</p>}
      </Dialog>
    </>
  );
}
