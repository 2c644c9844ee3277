"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { AlertTriangle, Search } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { CAPITAL_TYPES, INDUSTRIES, SOURCE_CHANNELS, type TCapitalType } from "@/lib/domain";
import { isValidCreditCode } from "@/lib/credit-code";
import { todayCN } from "@/lib/dates";
import { COUNTRIES, PROVINCES } from "@/lib/regions";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError, type TDuplicate } from "@/app/_lib/trpc/errors";
import { unitsToWan, wanToUnits } from "@/app/_lib/amount-input";
import { Button } from "@/app/_components/ui/button";
import { Checkbox, Field, Input, Select, Textarea } from "@/app/_components/ui/form";
import { Alert, Card, CardHeader } from "@/app/_components/ui/misc";
import { cn } from "@/app/_components/ui/cn";

type TOption = { id: string; label: string };
type TUnitOption = { id: string; code: string; name: string; depth: number; kind: string; path: string };
type TInvestorRef = { id: string; name: string; creditCode: string | null };

export type TProjectFormValues = {
  name: string;
  capitalType: TCapitalType;
  unitId: string;
  ownerId: string;
  industry: string;
  isEmerging: boolean;
  sourceChannel: string;
  plannedWan: string;
  notes: string;
  code: string;
  stage: "contact" | "negotiation";
  startedOn: string;
  note: string;
  registeredOn: string;
  constructionOn: string;
  productionOn: string;
};

type TEdit = { id: string; version: number; investor: TInvestorRef; showMilestones: boolean };

export function ProjectForm({
  units,
  owners,
  homeProvince,
  initial,
  edit,
}: {
  units: TUnitOption[];
  owners: Array<TOption & { unitPath: string }>;
  homeProvince: string;
  initial?: Partial<TProjectFormValues> & { plannedAmount?: string };
  edit?: TEdit;
}) {
  const t = useTranslations();
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const form = useForm<TProjectFormValues>({
    defaultValues: {
      name: "",
      capitalType: "domestic",
      unitId: units[0]?.id ?? "",
      ownerId: "",
      industry: "advanced_manufacturing",
      isEmerging: false,
      sourceChannel: "exhibition",
      plannedWan: unitsToWan(initial?.plannedAmount),
      notes: "",
      code: "",
      stage: "contact",
      startedOn: todayCN(),
      note: "",
      registeredOn: "",
      constructionOn: "",
      productionOn: "",
      ...initial,
    },
  });
  const { register, handleSubmit, watch, setError: setFieldError, formState } = form;
  const errors = formState.errors;
  const capitalType = watch("capitalType");
  const unitId = watch("unitId");
  const currencyLabel = capitalType === "foreign" ? t("common.wanUsd") : t("common.wanCny");

  // investor: an existing one (searched) or a new one typed here
  const [investorMode, setInvestorMode] = useState<"existing" | "new">(edit ? "existing" : "new");
  const [chosen, setChosen] = useState<TInvestorRef | null>(edit?.investor ?? null);
  const [inv, setInv] = useState({ name: "", creditCode: "", originProvince: "", originCity: "", originCountry: "" });
  const [confirmDuplicate, setConfirmDuplicate] = useState(false);
  const [serverError, setServerError] = useState<TClientError | null>(null);

  const cities = units.filter((u) => u.kind === "city");
  const unitPath = units.find((u) => u.id === unitId)?.path ?? "";
  const ownerOptions = owners.filter((o) => unitPath.startsWith(o.unitPath));

  // live duplicate check while typing a new investor
  const [dupQuery, setDupQuery] = useState({ name: "", creditCode: "" });
  useEffect(() => {
    const id = setTimeout(() => setDupQuery({ name: inv.name.trim(), creditCode: inv.creditCode.trim() }), 400);
    return () => clearTimeout(id);
  }, [inv.name, inv.creditCode]);
  const duplicates = useQuery(
    trpc.investors.duplicates.queryOptions(
      { name: dupQuery.name, creditCode: dupQuery.creditCode || null },
      { enabled: investorMode === "new" && dupQuery.name.length >= 2 },
    ),
  );
  const dupList: TDuplicate[] = serverError?.duplicates ?? duplicates.data ?? [];
  const creditCodeInvalid = inv.creditCode.trim() !== "" && !isValidCreditCode(inv.creditCode);

  const onError = (err: unknown) => {
    const e = readError(err, t("errors.internal"));
    setServerError(e);
    for (const [field, message] of Object.entries(e.fields)) {
      const key = field.replace(/^investor\.newInvestor\./, "investor.").replace(/^plannedAmount$/, "plannedWan");
      setFieldError(key as keyof TProjectFormValues, { message });
    }
  };
  const create = useMutation(trpc.projects.create.mutationOptions({ onError, onSuccess: (p) => { router.push(`/projects/${p.id}`); router.refresh(); } }));
  const update = useMutation(trpc.projects.update.mutationOptions({ onError, onSuccess: (p) => { router.push(`/projects/${p.id}`); router.refresh(); } }));
  const busy = create.isPending || update.isPending;

  const onSubmit = handleSubmit((v) => {
    setServerError(null);
    const plannedAmount = wanToUnits(v.plannedWan);
    if (!plannedAmount) {
      setFieldError("plannedWan", { message: t("projectForm.wanFormat") });
      return;
    }
    const common = {
      name: v.name,
      capitalType: v.capitalType,
      unitId: v.unitId,
      ownerId: v.ownerId || null,
      industry: v.industry as never,
      isEmerging: v.isEmerging,
      sourceChannel: v.sourceChannel as never,
      plannedAmount,
      notes: v.notes || null,
    };
    if (edit) {
      if (!chosen) return setServerError({ message: t("projectForm.chooseInvestor"), fields: {} });
      update.mutate({
        ...common,
        id: edit.id,
        version: edit.version,
        investorId: chosen.id,
        registeredOn: v.registeredOn || null,
        constructionOn: v.constructionOn || null,
        productionOn: v.productionOn || null,
      });
      return;
    }
    const originRegion = v.capitalType === "domestic" ? (inv.originProvince === homeProvince && inv.originCity ? inv.originCity : inv.originProvince) || null : null;
    const investor =
      investorMode === "existing"
        ? chosen
          ? { investorId: chosen.id }
          : null
        : { newInvestor: { name: inv.name, creditCode: inv.creditCode || null, originRegion, originCountry: v.capitalType === "foreign" ? inv.originCountry || null : null }, confirmDuplicate };
    if (!investor) return setServerError({ message: t("projectForm.chooseInvestor"), fields: {} });
    create.mutate({ ...common, code: v.code || null, investor, stage: v.stage, startedOn: v.startedOn, note: v.note || null });
  });

  const fieldError = (k: string) => (errors as Record<string, { message?: string }>)[k]?.message ?? serverError?.fields[k];

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" data-testid="project-form">
      {serverError && <Alert testId="form-error">{serverError.message}</Alert>}

      <Card>
        <CardHeader title={t("projectForm.basics")} />
        <div className="grid gap-4 px-5 py-4 sm:grid-cols-2">
          <Field id="name" label={t("project.name")} required error={fieldError("name")} className="sm:col-span-2">
            <Input id="name" {...register("name")} invalid={!!fieldError("name")} placeholder={t("projectForm.namePlaceholder")} data-testid="field-name" />
          </Field>
          <Field id="capitalType" label={t("project.capitalType")} required hint={edit ? undefined : t("projectForm.capitalHint")}>
            <Select id="capitalType" {...register("capitalType")} data-testid="field-capitalType">
              {CAPITAL_TYPES.map((c) => (
                <option key={c} value={c}>{t(`enums.capitalType.${c}`)}</option>
              ))}
            </Select>
          </Field>
          <Field id="plannedWan" label={t("common.withNote", { text: t("project.plannedAmount"), note: currencyLabel })} required error={fieldError("plannedWan") ?? fieldError("plannedAmount")}>
            <Input id="plannedWan" inputMode="decimal" {...register("plannedWan")} invalid={!!(fieldError("plannedWan") ?? fieldError("plannedAmount"))} placeholder="25000" data-testid="field-planned" />
          </Field>
          <Field id="unitId" label={t("project.unit")} required error={fieldError("unitId")}>
            <Select id="unitId" {...register("unitId")} data-testid="field-unit">
              {units.map((u) => (
                <option key={u.id} value={u.id}>{`${"\u3000".repeat(u.depth)}${u.name}`}</option>
              ))}
            </Select>
          </Field>
          <Field id="ownerId" label={t("project.owner")} error={fieldError("ownerId")}>
            <Select id="ownerId" {...register("ownerId")} data-testid="field-owner">
              <option value="">{t("projectForm.noOwner")}</option>
              {ownerOptions.map((o) => (
                <option key={o.id} value={o.id}>{o.label}</option>
              ))}
            </Select>
          </Field>
          <Field id="industry" label={t("project.industry")} required>
            <Select id="industry" {...register("industry")}>
              {INDUSTRIES.map((i) => (
                <option key={i} value={i}>{t(`enums.industry.${i}`)}</option>
              ))}
            </Select>
          </Field>
          <Field id="sourceChannel" label={t("project.sourceChannel")} required>
            <Select id="sourceChannel" {...register("sourceChannel")}>
              {SOURCE_CHANNELS.map((c) => (
                <option key={c} value={c}>{t(`enums.sourceChannel.${c}`)}</option>
              ))}
            </Select>
          </Field>
          <div className="flex items-end pb-2">
            <Checkbox label={t("project.emerging")} {...register("isEmerging")} />
          </div>
          {!edit && (
            <>
              <Field id="stage" label={t("projectForm.startStage")} required>
                <Select id="stage" {...register("stage")}>
                  <option value="contact">{t("enums.stage.contact")}</option>
                  <option value="negotiation">{t("enums.stage.negotiation")}</option>
                </Select>
              </Field>
              <Field id="startedOn" label={t("projectForm.startedOn")} required error={fieldError("startedOn")}>
                <Input id="startedOn" type="date" max={todayCN()} {...register("startedOn")} invalid={!!fieldError("startedOn")} data-testid="field-startedOn" />
              </Field>
              <Field id="code" label={t("project.code")} error={fieldError("code")} hint={t("projectForm.codeHint")}>
                <Input id="code" {...register("code")} invalid={!!fieldError("code")} placeholder="LN-2026-0001" className="font-mono" />
              </Field>
            </>
          )}
          <Field id="notes" label={t("project.notes")} className="sm:col-span-2" error={fieldError("notes")}>
            <Textarea id="notes" {...register("notes")} />
          </Field>
        </div>
      </Card>

      <Card>
        <CardHeader title={t("investor.title")} description={t("projectForm.investorHint")} />
        <div className="space-y-4 px-5 py-4">
          {!edit && (
            <div role="radiogroup" aria-label={t("investor.title")} className="inline-flex rounded-md p-0.5 ring-1 ring-slate-200">
              {(["new", "existing"] as const).map((m) => (
                <button
                  key={m}
                  type="button"
                  role="radio"
                  aria-checked={investorMode === m}
                  onClick={() => setInvestorMode(m)}
                  data-testid={`investor-mode-${m}`}
                  className={cn("rounded px-3 py-1.5 text-sm", investorMode === m ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100")}
                >
                  {t(`projectForm.investor.${m}`)}
                </button>
              ))}
            </div>
          )}
          {investorMode === "existing" ? (
            <InvestorPicker chosen={chosen} onChoose={setChosen} />
          ) : (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="investor.name" label={t("investor.name")} required error={fieldError("investor.name")} className="sm:col-span-2">
                <Input id="investor.name" value={inv.name} onChange={(e) => { setInv({ ...inv, name: e.target.value }); setConfirmDuplicate(false); }} invalid={!!fieldError("investor.name")} placeholder={t("projectForm.investorNamePlaceholder")} data-testid="field-investor-name" />
              </Field>
              <Field id="investor.creditCode" label={t("investor.creditCode")} error={creditCodeInvalid ? t("errors.investor.creditCode") : fieldError("investor.creditCode")} hint={t("projectForm.creditCodeHint")}>
                <Input id="investor.creditCode" value={inv.creditCode} onChange={(e) => setInv({ ...inv, creditCode: e.target.value })} invalid={creditCodeInvalid || !!fieldError("investor.creditCode")} className="font-mono uppercase" maxLength={18} data-testid="field-credit-code" />
              </Field>
              {capitalType === "domestic" ? (
                <div className="grid grid-cols-2 gap-2">
                  <Field id="investor.originProvince" label={t("investor.origin")} required error={fieldError("investor.originRegion")}>
                    <Select id="investor.originProvince" value={inv.originProvince} onChange={(e) => setInv({ ...inv, originProvince: e.target.value, originCity: "" })} data-testid="field-origin-province">
                      <option value="">{t("common.choose")}</option>
                      {PROVINCES.map((p) => (
                        <option key={p.code} value={p.code}>{locale === "en" ? p.en : p.zh}</option>
                      ))}
                    </Select>
                  </Field>
                  {inv.originProvince === homeProvince && (
                    <Field id="investor.originCity" label={t("investor.originCity")}>
                      <Select id="investor.originCity" value={inv.originCity} onChange={(e) => setInv({ ...inv, originCity: e.target.value })} data-testid="field-origin-city">
                        <option value="">{t("common.choose")}</option>
                        {cities.map((c) => (
                          <option key={c.code} value={c.code}>{c.name}</option>
                        ))}
                      </Select>
                    </Field>
                  )}
                </div>
              ) : (
                <Field id="investor.originCountry" label={t("investor.originCountry")} required error={fieldError("investor.originCountry")}>
                  <Select id="investor.originCountry" value={inv.originCountry} onChange={(e) => setInv({ ...inv, originCountry: e.target.value })} data-testid="field-origin-country">
                    <option value="">{t("common.choose")}</option>
                    {COUNTRIES.map((c) => (
                      <option key={c.code} value={c.code}>{locale === "en" ? c.en : c.zh}</option>
                    ))}
                  </Select>
                </Field>
              )}
              {dupList.length > 0 && (
                <div className="sm:col-span-2" data-testid="duplicate-warning">
                  <Alert tone="amber">
                    <p className="flex items-center gap-1.5 font-medium">
                      <AlertTriangle className="size-4" aria-hidden />
                      {t("projectForm.duplicateTitle")}
                    </p>
                    <ul className="mt-2 space-y-1.5">
                      {dupList.map((d) => (
                        <li key={d.id} className="flex flex-wrap items-center justify-between gap-2">
                          <span>
                            {d.name}
                            {d.creditCode && <span className="ml-2 font-mono text-xs">{d.creditCode}</span>}
                            <span className="ml-2 text-xs">{t("common.inParens", { note: t(`projectForm.dupReason.${d.reason}`) })}</span>
                          </span>
                          <Button size="sm" onClick={() => { setChosen(d); setInvestorMode("existing"); setServerError(null); }} data-testid="use-existing-investor">
                            {t("projectForm.useExisting")}
                          </Button>
                        </li>
                      ))}
                    </ul>
                    {dupList.every((d) => d.reason === "name") && (
                      <div className="mt-3">
                        <Checkbox label={t("projectForm.confirmNew")} checked={confirmDuplicate} onChange={(e) => setConfirmDuplicate(e.target.checked)} data-testid="confirm-duplicate" />
                      </div>
                    )}
                  </Alert>
                </div>
              )}
            </div>
          )}
        </div>
      </Card>

      {!edit && (
        <Card>
          <CardHeader title={t("projectForm.firstEvent")} />
          <div className="px-5 py-4">
            <Field id="note" label={t("stageMove.note")}>
              <Textarea id="note" {...register("note")} placeholder={t("projectForm.firstEventPlaceholder")} />
            </Field>
          </div>
        </Card>
      )}

      {edit?.showMilestones && (
        <Card>
          <CardHeader title={t("projectForm.milestones")} description={t("projectForm.milestonesHint")} />
          <div className="grid gap-4 px-5 py-4 sm:grid-cols-3">
            {(["registeredOn", "constructionOn", "productionOn"] as const).map((k) => (
              <Field key={k} id={k} label={t(`project.${k}`)} error={fieldError(k)}>
                <Input id={k} type="date" max={todayCN()} {...register(k)} invalid={!!fieldError(k)} />
              </Field>
            ))}
          </div>
        </Card>
      )}

      <div className="flex justify-end gap-2">
        <Button onClick={() => router.back()}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={busy} data-testid="save-project">
          {busy ? t("common.saving") : edit ? t("common.save") : t("projectForm.create")}
        </Button>
      </div>
    </form>
  );
}

function InvestorPicker({ chosen, onChoose }: { chosen: TInvestorRef | null; onChoose: (i: TInvestorRef | null) => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const id = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(id);
  }, [q]);
  const results = useQuery(trpc.investors.search.queryOptions({ q: debounced, limit: 8 }, { enabled: !chosen }));
  const list = useMemo(() => results.data ?? [], [results.data]);
  if (chosen)
    return (
      <div className="flex items-center justify-between rounded-md bg-slate-50 px-4 py-3 ring-1 ring-slate-200" data-testid="chosen-investor">
        <div>
          <p className="text-sm font-medium text-slate-900">{chosen.name}</p>
          {chosen.creditCode && <p className="font-mono text-xs text-slate-500">{chosen.creditCode}</p>}
        </div>
        <Button size="sm" onClick={() => onChoose(null)}>{t("projectForm.changeInvestor")}</Button>
      </div>
    );
  return (
    <div>
      <div className="relative">
        <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-slate-400" aria-hidden />
        <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("projectForm.searchInvestor")} aria-label={t("projectForm.searchInvestor")} className="pl-8" data-testid="investor-search" />
      </div>
      <ul className="mt-2 max-h-64 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200" role="listbox" aria-label={t("investor.title")}>
        {list.length === 0 && <li className="px-3 py-3 text-sm text-slate-500">{results.isFetching ? t("common.loading") : t("projectForm.noInvestor")}</li>}
        {list.map((i) => (
          <li key={i.id} role="option" aria-selected={false}>
            <button type="button" onClick={() => onChoose(i)} className="flex w-full items-center justify-between px-3 py-2 text-left text-sm hover:bg-brand-50" data-testid="investor-option">
              <span>{i.name}</span>
              {i.creditCode && <span className="font-mono text-xs text-slate-500">{i.creditCode}</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
