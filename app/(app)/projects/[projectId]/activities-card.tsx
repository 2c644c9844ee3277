"use client";
import { useMutation } from "@tanstack/react-query";
import { CheckCircle2, Pencil, Plus, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ACTIVITY_KINDS, type TActivityKind } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { dueState } from "@/lib/follow-up-rules";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/form";
import { Alert, Badge, Card, CardHeader, EmptyState } from "@/app/_components/ui/misc";

export type TActivityRow = {
  id: string;
  kind: TActivityKind;
  occurredOn: string;
  summary: string;
  participants: string | null;
  nextStep: string | null;
  nextDueOn: string | null;
  nextDoneAt: Date | string | null;
  createdBy: string | null;
  authorName: string | null;
  version: number;
};

const DUE_TONE = { overdue: "red", today: "amber", soon: "amber", later: "slate" } as const;

/** 跟进记录: visits, meetings, calls… with the next step and its due date. */
export function ActivitiesCard({ projectId, rows, me, canWrite, isOwner }: { projectId: string; rows: TActivityRow[]; me: { id: string; isAdmin: boolean }; canWrite: boolean; isOwner: boolean }) {
  const t = useTranslations();
  const router = useRouter();
  const trpc = useTRPC();
  const [editing, setEditing] = useState<TActivityRow | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onError = (e: unknown) => setError(readError(e, t("errors.internal")).message);
  const remove = useMutation(trpc.activities.delete.mutationOptions({ onSuccess: () => router.refresh(), onError }));
  const done = useMutation(trpc.activities.completeNextStep.mutationOptions({ onSuccess: () => router.refresh(), onError }));
  const today = todayCN();
  return (
    <Card data-testid="activities-card">
      <CardHeader
        title={t("activities.title")}
        description={t("activities.hint")}
        actions={canWrite && (
          <Button size="sm" variant="primary" onClick={() => setEditing("new")} data-testid="add-activity">
            <Plus className="size-3.5" aria-hidden />
            {t("activities.add")}
          </Button>
        )}
      />
      {error && <Alert className="mx-5 mt-3">{error}</Alert>}
      {rows.length === 0 ? (
        <EmptyState title={t("activities.empty")} />
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((a) => {
            const own = a.createdBy === me.id || me.isAdmin;
            const state = a.nextDueOn ? dueState(a.nextDueOn, today) : null;
            return (
              <li key={a.id} className="px-5 py-3" data-testid="activity-row">
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0 text-sm">
                    <p className="flex flex-wrap items-center gap-2">
                      <Badge tone="blue">{t(`enums.activityKind.${a.kind}`)}</Badge>
                      <span className="tabular text-slate-600">{a.occurredOn}</span>
                      <span className="text-xs text-slate-400">{a.authorName}</span>
                    </p>
                    <p className="mt-1 whitespace-pre-line text-slate-800">{a.summary}</p>
                    {a.participants && <p className="mt-0.5 text-xs text-slate-500">{t("activities.participants")}：{a.participants}</p>}
                    {a.nextStep && (
                      <p className="mt-1.5 flex flex-wrap items-center gap-2 text-xs">
                        <span className="font-medium text-slate-700">{t("activities.nextStep")}：{a.nextStep}</span>
                        {a.nextDoneAt ? (
                          <Badge tone="green">{t("activities.done")}</Badge>
                        ) : (
                          a.nextDueOn && <Badge tone={DUE_TONE[state!]}>{t(`activities.due.${state}`, { date: a.nextDueOn })}</Badge>
                        )}
                      </p>
                    )}
                  </div>
                  <div className="flex shrink-0 items-center gap-1">
                    {a.nextStep && !a.nextDoneAt && canWrite && (own || isOwner) && (
                      <Button size="sm" variant="ghost" onClick={() => done.mutate({ id: a.id, version: a.version })} aria-label={t("activities.markDone")} title={t("activities.markDone")}>
                        <CheckCircle2 className="size-4" aria-hidden />
                      </Button>
                    )}
                    {canWrite && own && (
                      <>
                        <Button size="sm" variant="ghost" onClick={() => setEditing(a)} aria-label={t("common.edit")}>
                          <Pencil className="size-3.5" aria-hidden />
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => { if (confirm(t("activities.confirmDelete"))) remove.mutate({ id: a.id, version: a.version }); }} aria-label={t("activities.delete")}>
                          <Trash2 className="size-3.5" aria-hidden />
                        </Button>
                      </>
                    )}
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {editing && <ActivityDialog projectId={projectId} row={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function ActivityDialog({ projectId, row, onClose }: { projectId: string; row: TActivityRow | null; onClose: () => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<TClientError | null>(null);
  const handlers = { onSuccess: () => { onClose(); router.refresh(); }, onError: (e: unknown) => setError(readError(e, t("errors.internal"))) };
  const add = useMutation(trpc.activities.add.mutationOptions(handlers));
  const update = useMutation(trpc.activities.update.mutationOptions(handlers));
  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = {
      kind: String(f.get("kind")) as TActivityKind,
      occurredOn: String(f.get("occurredOn")),
      summary: String(f.get("summary") ?? ""),
      participants: String(f.get("participants") ?? ""),
      nextStep: String(f.get("nextStep") ?? ""),
      nextDueOn: String(f.get("nextDueOn") ?? "") || null,
    };
    if (row) update.mutate({ ...v, id: row.id, version: row.version });
    else add.mutate({ ...v, projectId });
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={row ? t("activities.edit") : t("activities.add")}
      closeLabel={t("common.close")}
      testId="activity-dialog"
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="activity-form" variant="primary" disabled={add.isPending || update.isPending} data-testid="activity-submit">{t("common.save")}</Button>
        </>
      }
    >
      <form id="activity-form" onSubmit={submit} className="space-y-4" noValidate>
        {error && <Alert>{error.message}</Alert>}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="a-kind" label={t("activities.kind")} required>
            <Select id="a-kind" name="kind" defaultValue={row?.kind ?? "visit"} data-testid="activity-kind">
              {ACTIVITY_KINDS.map((k) => <option key={k} value={k}>{t(`enums.activityKind.${k}`)}</option>)}
            </Select>
          </Field>
          <Field id="a-date" label={t("activities.date")} required error={error?.fields.occurredOn}>
            <Input id="a-date" name="occurredOn" type="date" max={todayCN()} defaultValue={row?.occurredOn ?? todayCN()} invalid={!!error?.fields.occurredOn} />
          </Field>
        </div>
        <Field id="a-summary" label={t("activities.summary")} required error={error?.fields.summary}>
          <Textarea id="a-summary" name="summary" defaultValue={row?.summary} invalid={!!error?.fields.summary} placeholder={t("activities.summaryPlaceholder")} data-testid="activity-summary" />
        </Field>
        <Field id="a-participants" label={t("activities.participants")} error={error?.fields.participants}>
          <Input id="a-participants" name="participants" defaultValue={row?.participants ?? ""} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <Field id="a-next" label={t("activities.nextStep")} error={error?.fields.nextStep}>
            <Input id="a-next" name="nextStep" defaultValue={row?.nextStep ?? ""} invalid={!!error?.fields.nextStep} data-testid="activity-next" />
          </Field>
          <Field id="a-due" label={t("activities.dueOn")} error={error?.fields.nextDueOn}>
            <Input id="a-due" name="nextDueOn" type="date" defaultValue={row?.nextDueOn ?? ""} invalid={!!error?.fields.nextDueOn} data-testid="activity-due" />
          </Field>
        </div>
      </form>
    </Dialog>
  );
}
