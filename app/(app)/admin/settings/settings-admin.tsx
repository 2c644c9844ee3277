"use client";
import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatMoney, type TLocale } from "@/lib/money";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { unitsToWan, wanToUnits } from "@/app/_lib/amount-input";
import { Button } from "@/app/_components/ui/button";
import { Field, Input } from "@/app/_components/ui/form";
import { Alert, Card } from "@/app/_components/ui/misc";

type TKey = "staleDays" | "backdateDays" | "threeNotDays" | "majorThresholdCny" | "majorThresholdUsd";
type TRow = { key: TKey; value: string; default: string; version: number | null };

// amounts are typed in 万 like every amount of the app, and stored in yuan / dollars
const CURRENCY: Partial<Record<TKey, "CNY" | "USD">> = { majorThresholdCny: "CNY", majorThresholdUsd: "USD" };

/** The thresholds the rules read, one form per setting (each saved on its own, version-checked). */
export function SettingsAdmin({ settings }: { settings: TRow[] }) {
  return (
    <Card className="divide-y divide-slate-100" data-testid="settings">
      {settings.map((s) => (
        <SettingForm key={`${s.key}:${s.version}`} row={s} />
      ))}
    </Card>
  );
}

function SettingForm({ row }: { row: TRow }) {
  const t = useTranslations();
  const locale = useLocale() as TLocale;
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<TClientError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.settings.set.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        router.refresh();
      },
      onError: (e) => setError(readError(e, t("errors.internal"))),
    }),
  );
  const currency = CURRENCY[row.key];
  const shown = (v: string) => (currency ? formatMoney(v, currency, locale) : t("settings.days", { n: Number(v) }));
  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const text = String(new FormData(e.currentTarget).get("value") ?? "");
    // a 万 figure that is not a number goes as typed: the server answers with the field error
    const value = currency ? (wanToUnits(text) ?? text) : text;
    save.mutate({ key: row.key, value, version: row.version });
  }
  const id = `setting-${row.key}`;
  return (
    <form onSubmit={submit} className="grid gap-3 px-5 py-4 sm:grid-cols-[1fr_16rem_auto] sm:items-end" data-testid={id} noValidate>
      <div>
        <p className="text-sm font-medium text-slate-900">{t(`settings.key.${row.key}`)}</p>
        <p className="mt-0.5 text-xs text-slate-500">{t(`settings.hintOf.${row.key}`)}</p>
        <p className="mt-1 text-xs text-slate-500">
          {t("settings.current", { value: shown(row.value) })} · {t("settings.default", { value: shown(row.default) })}
        </p>
      </div>
      <Field id={id} label={currency ? t(currency === "USD" ? "common.wanUsd" : "common.wanCny") : t("settings.daysUnit")} error={error?.fields.value}>
        <Input id={id} name="value" inputMode={currency ? "decimal" : "numeric"} defaultValue={currency ? unitsToWan(row.value) : row.value} invalid={!!error?.fields.value} data-testid={`${id}-input`} />
      </Field>
      <div className="flex items-center gap-2">
        <Button type="submit" variant="primary" disabled={save.isPending} data-testid={`${id}-save`}>
          {t("common.save")}
        </Button>
      </div>
      {error && !error.fields.value && <Alert className="sm:col-span-3">{error.message}</Alert>}
      {saved && !error && <p className="text-xs text-emerald-700 sm:col-span-3" role="status">{t("settings.saved")}</p>}
    </form>
  );
}
