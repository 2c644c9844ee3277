import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { getActor } from "@/server/auth/session";
import { can } from "@/lib/permissions";
import { IMPORT_KINDS } from "@/lib/import-columns";
import { AppShell, type TNavItem } from "@/app/_components/shell/app-shell";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  const t = await getTranslations();
  const nav: TNavItem[] = [
    { href: "/dashboard", label: t("nav.dashboard"), icon: "dashboard" },
    { href: "/projects", label: t("nav.projects"), icon: "projects" },
    { href: "/pipeline", label: t("nav.pipeline"), icon: "pipeline" },
    { href: "/follow-ups", label: t("nav.followUps"), icon: "followUps" },
    { href: "/verification", label: t("nav.verification"), icon: "verification" },
    ...(can(actor.role, "flag.read") ? ([{ href: "/flags", label: t("nav.flags"), icon: "flags" }] satisfies TNavItem[]) : []),
    { href: "/targets", label: t("nav.targets"), icon: "targets" },
    ...(can(actor.role, "period.lock") ? ([{ href: "/locks", label: t("nav.locks"), icon: "locks" }] satisfies TNavItem[]) : []),
    { href: "/reports", label: t("nav.reports"), icon: "reports" },
    ...(IMPORT_KINDS.some((k) => can(actor.role, `import.${k}`)) ? ([{ href: "/import", label: t("nav.import"), icon: "import" }] satisfies TNavItem[]) : []),
    ...(can(actor.role, "user.manage")
      ? ([
          { href: "/admin/users", label: t("nav.users"), icon: "users", section: t("nav.admin") },
          { href: "/admin/units", label: t("nav.units"), icon: "units", section: t("nav.admin") },
        ] satisfies TNavItem[])
      : []),
    ...(can(actor.role, "audit.read") ? ([{ href: "/admin/audit", label: t("nav.audit"), icon: "audit", section: t("nav.admin") }] satisfies TNavItem[]) : []),
    ...(can(actor.role, "settings.manage") ? ([{ href: "/admin/settings", label: t("nav.settings"), icon: "settings", section: t("nav.admin") }] satisfies TNavItem[]) : []),
  ];
  return (
    <AppShell nav={nav} user={{ name: actor.name, email: actor.email, role: t(`enums.role.${actor.role}`), unitName: actor.unitName }}>
      {children}
    </AppShell>
  );
}
