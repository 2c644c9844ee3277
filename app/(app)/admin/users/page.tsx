import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { UsersAdmin } from "./users-admin";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("users") };
}

export default async function UsersPage() {
  const api = await serverApi();
  const me = await api.me.get();
  if (!me || !can(me.role, "user.manage")) redirect("/");
  const [users, units] = await Promise.all([api.users.list({}), api.units.list()]);
  const t = await getTranslations();
  const base = units[0]?.depth ?? 0;
  return (
    <>
      <PageHeader title={t("nav.users")} description={t("admin.usersHint")} />
      <UsersAdmin
        meId={me.id}
        users={users.map((u) => ({ ...u, disabled: !!u.disabledAt, lastLoginAt: u.lastLoginAt?.toISOString() ?? null }))}
        units={units.map((u) => ({ id: u.id, name: u.name, depth: u.depth - base }))}
      />
    </>
  );
}
