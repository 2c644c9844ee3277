"use client";
import { useMutation } from "@tanstack/react-query";
import { KeyRound, Pencil, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLES, type TRole } from "@/lib/domain";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Checkbox, Field, Input, Select } from "@/app/_components/ui/form";
import { Alert, Badge, Card } from "@/app/_components/ui/misc";
import { DateTime } from "@/app/_components/domain";

type TUserRow = { id: string; email: string; name: string; role: TRole; unitId: string; unitName: string; disabled: boolean; lastLoginAt: string | null; version: number };
type TUnitOption = { id: string; name: string; depth: number };

export function UsersAdmin({ meId, users, units }: { meId: string; users: TUserRow[]; units: TUnitOption[] }) {
  const t = useTranslations();
  const [dialog, setDialog] = useState<{ kind: "create" } | { kind: "edit" | "password"; user: TUserRow } | null>(null);
  const [q, setQ] = useState("");
  const shown = users.filter((u) => !q || u.name.includes(q) || u.email.includes(q.toLowerCase()) || u.unitName.includes(q));
  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <Input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("admin.searchUsers")} aria-label={t("admin.searchUsers")} className="max-w-xs" type="search" />
        <Button variant="primary" onClick={() => setDialog({ kind: "create" })} data-testid="add-user">
          <Plus className="size-4" aria-hidden />
          {t("admin.addUser")}
        </Button>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="users-table">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              <th className="px-4 py-2.5 font-medium">{t("admin.name")}</th>
              <th className="px-4 py-2.5 font-medium">{t("auth.email")}</th>
              <th className="px-4 py-2.5 font-medium">{t("admin.role")}</th>
              <th className="px-4 py-2.5 font-medium">{t("project.unit")}</th>
              <th className="px-4 py-2.5 font-medium">{t("admin.lastLogin")}</th>
              <th className="px-4 py-2.5 font-medium"><span className="sr-only">{t("common.actions")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((u) => (
              <tr key={u.id} className={u.disabled ? "bg-slate-50/70 text-slate-400" : undefined}>
                <td className="px-4 py-2.5 font-medium whitespace-nowrap">
                  {u.name}
                  {u.disabled && <Badge tone="red" className="ml-2">{t("admin.disabled")}</Badge>}
                </td>
                <td className="px-4 py-2.5 whitespace-nowrap">{u.email}</td>
                <td className="px-4 py-2.5"><Badge tone={u.role === "admin" ? "red" : u.role === "leader" ? "violet" : "slate"}>{t(`enums.role.${u.role}`)}</Badge></td>
                <td className="px-4 py-2.5 whitespace-nowrap">{u.unitName}</td>
                <td className="px-4 py-2.5 whitespace-nowrap text-slate-500">{u.lastLoginAt ? <DateTime value={u.lastLoginAt} /> : "—"}</td>
                <td className="px-4 py-2.5 text-right whitespace-nowrap">
                  <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "edit", user: u })} aria-label={`${t("common.edit")} ${u.name}`}>
                    <Pencil className="size-3.5" aria-hidden />
                    {t("common.edit")}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "password", user: u })} aria-label={`${t("admin.resetPassword")} ${u.name}`}>
                    <KeyRound className="size-3.5" aria-hidden />
                    {t("admin.resetPassword")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dialog?.kind === "create" && <UserDialog units={units} onClose={() => setDialog(null)} />}
      {dialog?.kind === "edit" && <UserDialog units={units} user={dialog.user} isSelf={dialog.user.id === meId} onClose={() => setDialog(null)} />}
      {dialog?.kind === "password" && <PasswordDialog user={dialog.user} onClose={() => setDialog(null)} />}
    </Card>
  );
}

function UserDialog({ units, user, isSelf, onClose }: { units: TUnitOption[]; user?: TUserRow; isSelf?: boolean; onClose: () => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<TClientError | null>(null);
  const done = { onSuccess: () => { onClose(); router.refresh(); }, onError: (e: unknown) => setError(readError(e, t("errors.internal"))) };
  const create = useMutation(trpc.users.create.mutationOptions(done));
  const update = useMutation(trpc.users.update.mutationOptions(done));

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const common = { name: String(f.get("name")), role: String(f.get("role")) as TRole, unitId: String(f.get("unitId")) };
    if (user) update.mutate({ ...common, id: user.id, version: user.version, disabled: f.get("disabled") === "on" });
    else create.mutate({ ...common, email: String(f.get("email")), password: String(f.get("password")) });
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title={user ? t("admin.editUser") : t("admin.addUser")}
      description={user ? user.email : t("admin.addUserHint")}
      closeLabel={t("common.close")}
      testId="user-dialog"
      footer={
        <>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" form="user-form" variant="primary" disabled={create.isPending || update.isPending} data-testid="save-user">{t("common.save")}</Button>
        </>
      }
    >
      <form id="user-form" onSubmit={submit} className="space-y-4" noValidate>
        {error && <Alert>{error.message}</Alert>}
        <Field id="u-name" label={t("admin.name")} required error={error?.fields.name}>
          <Input id="u-name" name="name" defaultValue={user?.name} required />
        </Field>
        {!user && (
          <Field id="u-email" label={t("auth.email")} required error={error?.fields.email}>
            <Input id="u-email" name="email" type="email" required invalid={!!error?.fields.email} />
          </Field>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="u-role" label={t("admin.role")} required error={error?.fields.role}>
            <Select id="u-role" name="role" defaultValue={user?.role ?? "staff"} disabled={isSelf}>
              {ROLES.map((r) => (
                <option key={r} value={r}>{t(`enums.role.${r}`)}</option>
              ))}
            </Select>
            {isSelf && <input type="hidden" name="role" value={user?.role} />}
          </Field>
          <Field id="u-unit" label={t("project.unit")} required error={error?.fields.unitId}>
            <Select id="u-unit" name="unitId" defaultValue={user?.unitId ?? units[0]?.id}>
              {units.map((u) => (
                <option key={u.id} value={u.id}>{`${"\u3000".repeat(u.depth)}${u.name}`}</option>
              ))}
            </Select>
          </Field>
        </div>
        {!user && (
          <Field id="u-password" label={t("admin.initialPassword")} required error={error?.fields.password} hint={t("admin.passwordHint")}>
            <Input id="u-password" name="password" type="password" autoComplete="new-password" required minLength={8} invalid={!!error?.fields.password} />
          </Field>
        )}
        {user && !isSelf && <Checkbox name="disabled" defaultChecked={user.disabled} label={t("admin.disableUser")} />}
        {user && <p className="text-xs text-slate-500">{t("admin.sessionsEnd")}</p>}
      </form>
    </Dialog>
  );
}

function PasswordDialog({ user, onClose }: { user: TUserRow; onClose: () => void }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const [error, setError] = useState<TClientError | null>(null);
  const [done, setDone] = useState(false);
  const router = useRouter();
  // the reset bumps the user's version: refresh, so a later edit of the user is not refused as stale
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: () => { setDone(true); router.refresh(); }, onError: (e) => setError(readError(e, t("errors.internal"))) }));
  return (
    <Dialog
      open
      onClose={onClose}
      title={t("admin.resetPassword")}
      description={`${user.name} · ${user.email}`}
      closeLabel={t("common.close")}
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>{t("common.close")}</Button>
        ) : (
          <>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button type="submit" form="pw-form" variant="primary" disabled={reset.isPending}>{t("admin.resetPassword")}</Button>
          </>
        )
      }
    >
      {done ? (
        <Alert tone="green">{t("admin.passwordReset")}</Alert>
      ) : (
        <form
          id="pw-form"
          onSubmit={(e) => {
            e.preventDefault();
            reset.mutate({ id: user.id, version: user.version, password: String(new FormData(e.currentTarget).get("password")) });
          }}
          className="space-y-4"
          noValidate
        >
          {error && <Alert>{error.message}</Alert>}
          <Field id="pw" label={t("admin.newPassword")} required error={error?.fields.password} hint={t("admin.passwordHint")}>
            <Input id="pw" name="password" type="password" autoComplete="new-password" minLength={8} required />
          </Field>
        </form>
      )}
    </Dialog>
  );
}
