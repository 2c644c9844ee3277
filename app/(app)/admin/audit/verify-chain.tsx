"use client";
import { useQueryClient } from "@tanstack/react-query";
import { ShieldCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/app/_lib/trpc/client";
import { actionLabel, typeLabel } from "@/app/_components/audit/audit-changes";
import { Button } from "@/app/_components/ui/button";
import { Alert } from "@/app/_components/ui/misc";

type TResult = inferRouterOutputs<AppRouter>["audit"]["verify"];

/** Runs the chain verification on the server (every hash recomputed) and shows the verdict. */
export function VerifyChain() {
  const t = useTranslations();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<TResult | "error" | null>(null);

  async function verify() {
    setRunning(true);
    setResult(null);
    try {
      setResult(await queryClient.fetchQuery({ ...trpc.audit.verify.queryOptions(), staleTime: 0 }));
    } catch {
      setResult("error");
    } finally {
      setRunning(false);
    }
  }

  return (
    <div className="space-y-3">
      <Button variant="primary" onClick={verify} disabled={running} data-testid="verify-chain">
        <ShieldCheck className="size-4" aria-hidden />
        {running ? t("audit.verifying") : t("audit.verify")}
      </Button>
      {result === "error" && <Alert testId="verify-result">{t("audit.verifyFailed")}</Alert>}
      {result && result !== "error" && result.ok && (
        <Alert tone="green" testId="verify-result">
          {t("audit.intact", { n: result.entries, ms: result.ms })}
          {result.lastSeq !== null && <span className="mt-1 block break-all font-mono text-xs">{t("audit.head", { seq: result.lastSeq, hash: result.lastHash ?? "", anchors: result.anchors })}</span>}
        </Alert>
      )}
      {result && result !== "error" && !result.ok && (
        <Alert testId="verify-result">
          <p className="font-semibold">{t("audit.broken", { seq: result.broken.seq })}</p>
          {!result.broken.hidden && (
            <p className="mt-1">
              {actionLabel(t, result.broken.action)} · {typeLabel(t, result.broken.entityType)} <span className="font-mono text-xs">{result.broken.entityId}</span> · {result.broken.at}
            </p>
          )}
          <ul className="mt-1 list-disc pl-5">
            {result.broken.problems.map((p) => (
              <li key={p}>
                {p === "hash"
                  ? t("audit.brokenHash")
                  : p === "anchor"
                    ? t("audit.brokenAnchor")
                    : p === "missing"
                      ? t("audit.brokenMissing", { seq: result.broken.seq })
                      : result.broken.previousSeq === null
                        ? t("audit.brokenFirst")
                        : t("audit.brokenPrev", { prev: result.broken.previousSeq })}
              </li>
            ))}
            {result.broken.hidden && <li>{t("audit.brokenHidden")}</li>}
          </ul>
          <p className="mt-1 text-xs">{t("audit.checkedBefore", { n: result.checked, total: result.entries })}</p>
        </Alert>
      )}
    </div>
  );
}
