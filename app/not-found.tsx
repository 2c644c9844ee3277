import { getTranslations } from "next-intl/server";
import { ButtonLink } from "@/app/_components/ui/button";

export default async function NotFound() {
  const t = await getTranslations();
  return (
    <div className="grid min-h-[60vh] place-items-center px-6" data-testid="not-found">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t("notFound.title")}</h1>
        <p className="mt-2 max-w-md text-sm text-slate-500">{t("notFound.body")}</p>
        <ButtonLink href="/projects" variant="primary" className="mt-6">
          {t("notFound.back")}
        </ButtonLink>
      </div>
    </div>
  );
}
