"use client";
import { useMutation } from "@tanstack/react-query";
import { Bookmark, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";

type TView = { id: string; name: string; query: string };

/** 我的视图: name the list's current filters and sort, open them again with one click. */
export function SavedViews({ views }: { views: TView[] }) {
  const t = useTranslations("views");
  const tc = useTranslations("common");
  const router = useRouter();
  const params = useSearchParams();
  const trpc = useTRPC();
  const [naming, setNaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = params.toString();
  const active = views.find((v) => v.query === current);
  const save = useMutation(trpc.views.save.mutationOptions({ onSuccess: () => { setNaming(false); router.refresh(); }, onError: (e) => setError(readError(e, tc("reload")).message) }));
  const remove = useMutation(trpc.views.delete.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="flex items-center gap-1.5" data-testid="saved-views">
      <Select aria-label={t("label")} className="h-8 w-auto py-0 text-xs" value={active?.id ?? ""} onChange={(e) => { const v = views.find((x) => x.id === e.target.value); if (v) router.push(`/projects${v.query ? `?${v.query}` : ""}`); }} data-testid="saved-view-select">
        <option value="">{views.length ? t("choose") : t("none")}</option>
        {views.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
      </Select>
      {active && (
        <Button size="sm" variant="ghost" aria-label={t("delete", { name: active.name })} onClick={() => { if (confirm(t("confirmDelete", { name: active.name }))) remove.mutate({ id: active.id }); }}>
          <Trash2 className="size-3.5" aria-hidden />
        </Button>
      )}
      <Button size="sm" onClick={() => { setError(null); setNaming(true); }} data-testid="save-view">
        <Bookmark className="size-3.5" aria-hidden />
        {t("save")}
      </Button>
      <Dialog
        open={naming}
        onClose={() => setNaming(false)}
        title={t("save")}
        description={t("saveHint")}
        closeLabel={tc("close")}
        footer={
          <>
            <Button onClick={() => setNaming(false)}>{tc("cancel")}</Button>
            <Button type="submit" form="view-form" variant="primary" disabled={save.isPending} data-testid="save-view-submit">{tc("save")}</Button>
          </>
        }
      >
        <form id="view-form" className="space-y-3" onSubmit={(e) => { e.preventDefault(); save.mutate({ name: String(new FormData(e.currentTarget).get("name") ?? ""), query: current }); }}>
          {error && <Alert>{error}</Alert>}
          <Field id="view-name" label={t("name")} required>
            <Input id="view-name" name="name" maxLength={40} defaultValue={active?.name ?? ""} placeholder={t("placeholder")} data-testid="save-view-name" autoFocus />
          </Field>
        </form>
      </Dialog>
    </div>
  );
}
