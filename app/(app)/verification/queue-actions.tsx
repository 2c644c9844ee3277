"use client";
import { Check, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { TCurrency } from "@/lib/domain";
import { Button } from "@/app/_components/ui/button";
import { VerifyDialog, type TVerifiable } from "@/app/_components/funds/verify-dialog";

export function QueueActions({ tranche, currency }: { tranche: TVerifiable; currency: TCurrency }) {
  const t = useTranslations();
  const [decision, setDecision] = useState<"verify" | "reject" | null>(null);
  return (
    <>
      <Button size="sm" variant="primary" onClick={() => setDecision("verify")} data-testid="queue-verify">
        <Check className="size-3.5" aria-hidden />
        {t("funds.verify")}
      </Button>
      <Button size="sm" variant="ghost" className="ml-1" onClick={() => setDecision("reject")} data-testid="queue-reject">
        <X className="size-3.5" aria-hidden />
        {t("funds.reject")}
      </Button>
      {decision && <VerifyDialog tranche={tranche} decision={decision} currency={currency} onClose={() => setDecision(null)} />}
    </>
  );
}
