import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { getActor } from "@/server/auth/session";
import { LanguageSwitch } from "@/app/_components/shell/language-switch";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signIn") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getActor()) redirect("/");
  const t = await getTranslations();
  const { callbackUrl } = await searchParams;
  // only same-site paths: never an open redirect
  const next = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="grid min-h-screen lg:grid-cols-[1fr_32rem]">
      <section className="relative hidden overflow-hidden bg-brand-900 lg:block">
        <div className="absolute inset-0 bg-[radial-gradient(circle_at_20%_20%,rgba(59,118,246,0.45),transparent_55%),radial-gradient(circle_at_80%_80%,rgba(20,184,166,0.25),transparent_50%)]" />
        <div className="relative flex h-full flex-col justify-between p-12 text-white">
          <div className="flex items-center gap-3">
            <div className="grid size-10 place-items-center rounded-lg bg-white/15 text-lg font-bold">招</div>
            <span className="text-lg font-semibold">{t("app.name")}</span>
          </div>
          <div className="max-w-lg">
            <h1 className="text-3xl leading-snug font-semibold">{t("auth.heroTitle")}</h1>
            <p className="mt-4 text-base leading-relaxed text-brand-100">{t("auth.heroBody")}</p>
          </div>
          <p className="text-sm text-brand-200">{t("auth.heroFoot")}</p>
        </div>
      </section>
      <section className="flex flex-col bg-white px-8 py-10 sm:px-12">
        <div className="flex justify-end">
          <LanguageSwitch signedIn={false} />
        </div>
        <div className="mx-auto flex w-full max-w-sm flex-1 flex-col justify-center">
          <div className="mb-8 lg:hidden">
            <div className="grid size-10 place-items-center rounded-lg bg-brand-600 text-lg font-bold text-white">招</div>
          </div>
          <h2 className="text-2xl font-semibold text-slate-900">{t("auth.signIn")}</h2>
          <p className="mt-2 text-sm text-slate-500">{t("auth.signInHint")}</p>
          <SignInForm next={next} />
        </div>
      </section>
    </main>
  );
}
