"use client";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Field, Input } from "@/app/_components/ui/form";
import { Alert } from "@/app/_components/ui/misc";
import { SIGN_IN_THROTTLED } from "@/lib/sign-in";

export function SignInForm({ next }: { next: string }) {
  const t = useTranslations();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { redirect: false, email: form.get("email"), password: form.get("password") });
    if (res?.ok && !res.error) {
      // a full navigation: the server renders the app with the new session cookie
      window.location.assign(next);
      return;
    }
    setBusy(false);
    setError(res?.status === 429 || res?.error === SIGN_IN_THROTTLED ? t("errors.tooManyAttempts") : t("errors.invalidCredentials"));
  }

  return (
    <form onSubmit={onSubmit} className="mt-8 space-y-5" noValidate>
      {error && <Alert testId="sign-in-error">{error}</Alert>}
      <Field id="email" label={t("auth.email")}>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field id="password" label={t("auth.password")}>
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" variant="primary" size="lg" className="w-full" disabled={busy}>
        {busy ? t("auth.signingIn") : t("auth.signIn")}
      </Button>
    </form>
  );
}
