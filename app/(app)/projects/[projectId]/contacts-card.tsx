"use client";
import { useMutation } from "@tanstack/react-query";
import { Mail, Phone, Plus, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { readError, type TClientError } from "@/app/_lib/trpc/errors";
import { Button } from "@/app/_components/ui/button";
import { Field, Input } from "@/app/_components/ui/form";
import { Alert, Card, CardHeader, EmptyState } from "@/app/_components/ui/misc";

type TContact = { id: string; name: string; title: string | null; phone: string | null; email: string | null; version: number };

export function ContactsCard({ investorId, contacts, writable }: { investorId: string; contacts: TContact[]; writable: boolean }) {
  const t = useTranslations();
  const router = useRouter();
  const trpc = useTRPC();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<TClientError | null>(null);
  const onError = (err: unknown) => setError(readError(err, t("errors.internal")));
  const add = useMutation(trpc.investors.addContact.mutationOptions({ onSuccess: () => { setAdding(false); setError(null); router.refresh(); }, onError }));
  const remove = useMutation(trpc.investors.removeContact.mutationOptions({ onSuccess: () => router.refresh(), onError }));

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    add.mutate({ investorId, name: String(f.get("name") ?? ""), title: String(f.get("title") ?? ""), phone: String(f.get("phone") ?? ""), email: String(f.get("email") ?? "") });
  }

  return (
    <Card>
      <CardHeader
        title={t("contacts.title")}
        actions={writable && !adding && (
          <Button size="sm" onClick={() => setAdding(true)} data-testid="add-contact">
            <Plus className="size-3.5" aria-hidden />
            {t("common.add")}
          </Button>
        )}
      />
      {error && <Alert className="mx-5 mt-4">{error.message}</Alert>}
      {adding && (
        <form onSubmit={submit} className="space-y-3 border-b border-slate-100 px-5 py-4" noValidate>
          <div className="grid grid-cols-2 gap-3">
            <Field id="c-name" label={t("contacts.name")} required error={error?.fields.name}>
              <Input id="c-name" name="name" required invalid={!!error?.fields.name} />
            </Field>
            <Field id="c-title" label={t("contacts.position")} error={error?.fields.title}>
              <Input id="c-title" name="title" />
            </Field>
            <Field id="c-phone" label={t("contacts.phone")} error={error?.fields.phone}>
              <Input id="c-phone" name="phone" inputMode="tel" invalid={!!error?.fields.phone} />
            </Field>
            <Field id="c-email" label={t("contacts.email")} error={error?.fields.email}>
              <Input id="c-email" name="email" type="email" invalid={!!error?.fields.email} />
            </Field>
          </div>
          <div className="flex justify-end gap-2">
            <Button size="sm" onClick={() => { setAdding(false); setError(null); }}>{t("common.cancel")}</Button>
            <Button size="sm" variant="primary" type="submit" disabled={add.isPending}>{t("common.save")}</Button>
          </div>
        </form>
      )}
      {contacts.length === 0 && !adding ? (
        <EmptyState title={t("contacts.empty")} />
      ) : (
        <ul className="divide-y divide-slate-100">
          {contacts.map((c) => (
            <li key={c.id} className="flex items-start justify-between gap-3 px-5 py-3">
              <div className="min-w-0 text-sm">
                <p className="font-medium text-slate-900">
                  {c.name}
                  {c.title && <span className="ml-2 text-xs font-normal text-slate-500">{c.title}</span>}
                </p>
                <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
                  {c.phone && <a href={`tel:${c.phone}`} className="inline-flex items-center gap-1 hover:text-brand-700"><Phone className="size-3" aria-hidden />{c.phone}</a>}
                  {c.email && <a href={`mailto:${c.email}`} className="inline-flex items-center gap-1 hover:text-brand-700"><Mail className="size-3" aria-hidden />{c.email}</a>}
                </div>
              </div>
              {writable && (
                <button
                  type="button"
                  onClick={() => { if (confirm(t("contacts.confirmRemove", { name: c.name }))) remove.mutate({ id: c.id, version: c.version }); }}
                  className="rounded p-1 text-slate-400 hover:bg-red-50 hover:text-red-600"
                  aria-label={t("contacts.remove", { name: c.name })}
                >
                  <Trash2 className="size-4" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
