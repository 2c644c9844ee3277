"use client";
import { useMutation } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TPeriodKind } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";

export type TLockDefaults = { unit: string; kind: TPeriodKind; year: number; n: number };

/** The last quarter that has ended: what a bureau usually locks after its quarterly report. */
function lastEndedQuarter(): TLockDefaults {
  const today = todayCN();
  const q = Math.ceil(Number(today.slice(5, 7)) / 3) - 1;
  const year = Number(today.slice(0, 4));
  return q === 0 ? { unit: "", kind: "quarter", year: year - 1, n: 4 } : { unit: "", kind: "quarter", year, n: q };
}

/** "Lock a period" (leaders and admins): unit, month or quarter, year and number. */
export function LockDialog({
  units,
  defaults,
  label,
  variant = "primary",
  testId = "lock-open",
}: {
  units: Array<{ code: string; name: string; depth: number }>;
  defaults?: Partial<TLockDefaults>;
  label?: string;
  variant?: "primary" | "secondary";
  testId?: string;
}) {
  const t = useTranslations("locks");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<TClientError | null>(null);
  const initial = { ...lastEndedQuarter(), unit: units[0]?.code ?? "", ...defaults };
  const [kind, setKind] = useState<TPeriodKind>(initial.kind);
  const lock = useMutation(
    trpc.locks.lock.mutationOptions({
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
      <Button variant={variant} size="sm" onClick={() => { setKind(initial.kind); setOpen(true); }} data-testid={testId}>
        <Lock className="size-3.5" aria-hidden />
        {label ?? t("lock")}
      </Button>
      {open && (
        <Dialog
          open
          onClose={close}
          title={t("lockTitle")}
          description={t("lockHint")}
          closeLabel={tc("close")}
          testId="lock-dialog"
          footer={
            <>
              <Button onClick={close}>{tc("cancel")}</Button>
              <Button type="submit" form="lock-form" variant="primary" disabled={lock.isPending} data-testid="lock-submit">
                {t("lockSubmit")}
              </Button>
            </>
          }
        >
          <form
            id="lock-form"
            className="grid gap-4 sm:grid-cols-2"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              setError(null);
              lock.mutate({ unit: String(f.get("unit")), kind, year: Number(f.get("year")), n: Number(f.get("n")) });
            }}
          >
            {error && <div className="sm:col-span-2"><Alert>{error.message}</Alert></div>}
            <Field id="lock-unit" label={t("unit")} required error={error?.fields.unit} className="sm:col-span-2">
              <Select id="lock-unit" name="unit" defaultValue={initial.unit} data-testid="lock-unit">
                {units.map((u) => (
                  <option key={u.code} value={u.code}>
                    {"\u3000".repeat(u.depth)}
                    {u.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field id="lock-kind" label={t("kind")} required>
              <Select id="lock-kind" value={kind} onChange={(e) => setKind(e.target.value as TPeriodKind)} data-testid="lock-kind">
                <option value="quarter">{t("kinds.quarter")}</option>
                <option value="month">{t("kinds.month")}</option>
              </Select>
            </Field>
            <Field id="lock-year" label={t("year")} required error={error?.fields.year}>
              <Input id="lock-year" name="year" type="number" min={2000} max={2100} defaultValue={initial.year} invalid={!!error?.fields.year} data-testid="lock-year" />
            </Field>
            <Field id="lock-n" label={kind === "quarter" ? t("quarter") : t("month")} required error={error?.fields.n} className="sm:col-span-2">
              <Select
                key={kind}
                id="lock-n"
                name="n"
                defaultValue={String(kind === initial.kind ? initial.n : 1)}
                invalid={!!error?.fields.n}
                data-testid="lock-n"
              >
                {Array.from({ length: kind === "quarter" ? 4 : 12 }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {kind === "quarter" ? t("quarterN", { n: String(n) }) : t("monthN", { n: String(n) })}
                  </option>
                ))}
              </Select>
            </Field>
          </form>
        </Dialog>
      )}
    </>
  );
}
