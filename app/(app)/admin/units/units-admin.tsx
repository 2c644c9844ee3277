"use client";
import { useMutation } from "@tanstack/react-query";
import { Pencil, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { UNIT_KINDS, type TUnitKind } from "@/lib/domain";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select } from "@/app/_components/ui/form";
import { Alert, Badge, Card } from "@/app/_components/ui/misc";

type TUnitRow = { id: string; code: string; name: string; kind: TUnitKind; parentId: string | null; depth: number; version: number };

export function UnitsAdmin({ units }: { units: TUnitRow[] }) {
  const t = useTranslations();
  const [dialog, setDialog] = useState<{ parent?: TUnitRow; unit?: TUnitRow } | null>(null);
  return (
    <Card className="overflow-hidden">
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="units-table">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">{t("admin.unitName")}</th>
              <th className="px-4 py-2.5 font-medium">{t("admin.unitCode")}</th>
              <th className="px-4 py-2.5 font-medium">{t("admin.unitKind")}</th>
              <th className="px-4 py-2.5"><span className="sr-only">{t("common.actions")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {units.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-2" style={{ paddingLeft: `${1 + u.depth * 1.5}rem` }}>
                  <span className={u.depth === 0 ? "font-semibold" : u.depth === 1 ? "font-medium" : undefined}>{u.name}</span>
                </td>
                <td className="px-4 py-2 font-mono text-xs text-slate-600">{u.code}</td>
                <td className="px-4 py-2"><Badge>{t(`enums.unitKind.${u.kind}`)}</Badge></td>
                <td className="px-4 py-2 text-right whitespace-nowrap">
                  <Button size="sm" variant="ghost" onClick={() => setDialog({ parent: u })} aria-label={`${t("admin.addChild")} ${u.name}`}>
                    <Plus className="size-3.5" aria-hidden />
                    {t("admin.addChild")}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setDialog({ unit: u })} aria-label={`${t("common.edit")} ${u.name}`}>
                    <Pencil className="size-3.5" aria-hidden />
                    {t("common.edit")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dialog && <UnitDialog units={units} parent={dialog.parent} unit={dialog.unit} onClose={() => setDialog(null)} />}
    </Card>
  );
}

function UnitDialog({ units, parent, unit, onClose }: { units: TUnitRow[]; parent?: TUnitRow; unit?: TUnitRow; onClose: () => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<TClientError | null>(null);
  const done = { onSuccess: () => { onClose(); router.refresh(); }, onError: (e: unknown) => setError(readError(e, t("errors.internal"))) };
  const create = useMutation(trpc.units.create.mutationOptions(done));
  const update = useMutation(trpc.units.update.mutationOptions(done));
  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = { code: String(f.get("code")), name: String(f.get("name")), kind: String(f.get("kind")) as TUnitKind };
    if (unit) update.mutate({ ...v, id: unit.id, version: unit.version, parentId: unit.parentId ? String(f.get("parentId")) : null });
    else create.mutate({ ...v, parentId: parent!.id });
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={unit ? t("admin.editUnit") : t("admin.addChildOf", { name: parent!.name })}
      closeLabel={t("common.close")}
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="unit-form" variant="primary" disabled={create.isPending || update.isPending}>{t("common.save")}</Button>
        </>
      }
    >
      <form id="unit-form" onSubmit={submit} className="space-y-4" noValidate>
        {error && <Alert>{error.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="unit-code" label={t("admin.unitCode")} required error={error?.fields.code} hint={t("admin.unitCodeHint")}>
            <Input id="unit-code" name="code" defaultValue={unit?.code} className="font-mono" required invalid={!!error?.fields.code} />
          </Field>
          <Field id="unit-kind" label={t("admin.unitKind")} required>
            <Select id="unit-kind" name="kind" defaultValue={unit?.kind ?? (parent?.depth === 0 ? "city" : "district")}>
              {UNIT_KINDS.map((k) => (
                <option key={k} value={k}>{t(`enums.unitKind.${k}`)}</option>
              ))}
            </Select>
          </Field>
        </div>
        <Field id="unit-name" label={t("admin.unitName")} required error={error?.fields.name}>
          <Input id="unit-name" name="name" defaultValue={unit?.name} required invalid={!!error?.fields.name} />
        </Field>
        {unit?.parentId && (
          <Field id="unit-parent" label={t("admin.parentUnit")} error={error?.fields.parentId}>
            <Select id="unit-parent" name="parentId" defaultValue={unit.parentId}>
              {units.filter((u) => u.id !== unit.id).map((u) => (
                <option key={u.id} value={u.id}>{`${"\u3000".repeat(u.depth)}${u.name}`}</option>
              ))}
            </Select>
          </Field>
        )}
      </form>
    </Dialog>
  );
}
