"use client";
import { useMutation } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";

export function StepDoneButton({ id, version }: { id: string; version: number }) {
  const t = useTranslations();
  const router = useRouter();
  const trpc = useTRPC();
  const done = useMutation(trpc.activities.completeNextStep.mutationOptions({ onSuccess: () => router.refresh(), onError: (e) => alert(readError(e, t("errors.internal")).message) }));
  return (
    <Button size="sm" onClick={() => done.mutate({ id, version })} disabled={done.isPending} data-testid="step-done">
      <Check className="size-3.5" aria-hidden />
      {t("activities.done")}
    </Button>
  );
}
