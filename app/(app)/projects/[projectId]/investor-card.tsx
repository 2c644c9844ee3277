"use client";
import { useMutation } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { COUNTRIES, PROVINCES } from "@/lib/regions";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select } from "@/app/_components/ui/form";
import { Alert, Card, CardHeader, DescriptionList } from "@/app/_components/ui/misc";

type TInvestor = { id: string; name: string; creditCode: string | null; originRegion: string | null; originCountry: string | null; version: number };

export function InvestorCard({
  investor,
  foreign,
  cities,
  homeProvince,
  writable,
}: {
  investor: TInvestor;
  foreign: boolean;
  cities: Array<{ code: string; name: string }>;
  homeProvince: string;
  writable: boolean;
}) {
  const t = useTranslations();
  const locale = useLocale();
  const [editing, setEditing] = useState(false);
  const region = investor.originRegion;
  const originName = investor.originCountry
    ? COUNTRIES.find((c) => c.code === investor.originCountry)?.[locale === "en" ? "en" : "zh"]
    : region
      ? (cities.find((c) => c.code === region)?.name ?? PROVINCES.find((p) => p.code === region)?.[locale === "en" ? "en" : "zh"])
      : null;
  return (
    <Card>
      <CardHeader
        title={t("investor.title")}
        actions={writable && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)} data-testid="edit-investor">
            <Pencil className="size-3.5" aria-hidden />
            {t("common.edit")}
          </Button>
        )}
      />
      <div className="px-5 py-4">
        <p className="font-medium text-slate-900" data-testid="investor-name">{investor.name}</p>
        <DescriptionList
          className="mt-3 !grid-cols-1"
          items={[
            { label: t("investor.creditCode"), value: investor.creditCode && <span className="font-mono">{investor.creditCode}</span> },
            { label: t("investor.origin"), value: originName },
          ]}
        />
      </div>
      {editing && <InvestorDialog investor={investor} foreign={foreign} cities={cities} homeProvince={homeProvince} onClose={() => setEditing(false)} />}
    </Card>
  );
}

function InvestorDialog({ investor, foreign, cities, homeProvince, onClose }: { investor: TInvestor; foreign: boolean; cities: Array<{ code: string; name: string }>; homeProvince: string; onClose: () => void }) {
  const t = useTranslations();
  const locale = useLocale();
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<TClientError | null>(null);
  const initialProvince = investor.originRegion ? `${investor.originRegion.slice(0, 2)}0000` : "";
  const [province, setProvince] = useState(initialProvince);
  const [city, setCity] = useState(investor.originRegion && investor.originRegion !== initialProvince ? investor.originRegion : "");
  const update = useMutation(
    trpc.investors.update.mutationOptions({ onSuccess: () => { onClose(); router.refresh(); }, onError: (e) => setError(readError(e, t("errors.internal"))) }),
  );
  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    update.mutate({
      id: investor.id,
      version: investor.version,
      name: String(f.get("name")),
      creditCode: String(f.get("creditCode") ?? ""),
      originRegion: foreign ? null : (province === homeProvince && city ? city : province) || null,
      originCountry: foreign ? String(f.get("originCountry") || "") || null : null,
    });
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("investor.edit")}
      description={t("investor.editHint")}
      closeLabel={t("common.close")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="investor-form" variant="primary" disabled={update.isPending}>{t("common.save")}</Button>
        </>
      }
    >
      <form id="investor-form" onSubmit={submit} className="space-y-4" noValidate>
        {error && <Alert>{error.message}</Alert>}
        <Field id="inv-name" label={t("investor.name")} required error={error?.fields.name}>
          <Input id="inv-name" name="name" defaultValue={investor.name} invalid={!!error?.fields.name} />
        </Field>
        <Field id="inv-cc" label={t("investor.creditCode")} error={error?.fields.creditCode}>
          <Input id="inv-cc" name="creditCode" defaultValue={investor.creditCode ?? ""} className="font-mono uppercase" maxLength={18} invalid={!!error?.fields.creditCode} />
        </Field>
        {foreign ? (
          <Field id="inv-country" label={t("investor.originCountry")}>
            <Select id="inv-country" name="originCountry" defaultValue={investor.originCountry ?? ""}>
              <option value="">{t("common.choose")}</option>
              {COUNTRIES.map((c) => (
                <option key={c.code} value={c.code}>{locale === "en" ? c.en : c.zh}</option>
              ))}
            </Select>
          </Field>
        ) : (
          <div className="grid grid-cols-2 gap-3">
            <Field id="inv-province" label={t("investor.origin")}>
              <Select id="inv-province" value={province} onChange={(e) => { setProvince(e.target.value); setCity(""); }}>
                <option value="">{t("common.choose")}</option>
                {PROVINCES.map((p) => (
                  <option key={p.code} value={p.code}>{locale === "en" ? p.en : p.zh}</option>
                ))}
              </Select>
            </Field>
            {province === homeProvince && (
              <Field id="inv-city" label={t("investor.originCity")}>
                <Select id="inv-city" value={city} onChange={(e) => setCity(e.target.value)}>
                  <option value="">{t("common.choose")}</option>
                  {cities.map((c) => (
                    <option key={c.code} value={c.code}>{c.name}</option>
                  ))}
                </Select>
              </Field>
            )}
          </div>
        )}
        <p className="text-xs text-slate-500">{t("investor.originNote")}</p>
      </form>
    </Dialog>
  );
}
