import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { SettingsAdmin } from "./settings-admin";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("settings") };
}

export default async function SettingsPage() {
  const api = await serverApi();
  const me = await api.me.get();
  if (!me || !can(me.role, "settings.manage")) redirect("/");
  const settings = await api.settings.list();
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("nav.settings")} description={t("settings.hint")} />
      <SettingsAdmin settings={settings.map((s) => ({ key: s.key, value: String(s.value), default: String(s.default), version: s.version }))} />
    </>
  );
}
