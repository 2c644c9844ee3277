import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { UnitsAdmin } from "./units-admin";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("units") };
}

export default async function UnitsPage() {
  const api = await serverApi();
  const me = await api.me.get();
  if (!me || !can(me.role, "unit.manage")) redirect("/");
  const units = await api.units.list();
  const t = await getTranslations();
  const base = units[0]?.depth ?? 0;
  return (
    <>
      <PageHeader title={t("nav.units")} description={t("admin.unitsHint")} />
      <UnitsAdmin units={units.map((u) => ({ id: u.id, code: u.code, name: u.name, kind: u.kind, parentId: u.parentId, depth: u.depth - base, version: u.version }))} />
    </>
  );
}
