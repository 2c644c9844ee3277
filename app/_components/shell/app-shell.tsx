"use client";
import { BadgeCheck, Building2, Columns3, FileSpreadsheet, FolderKanban, LayoutDashboard, ListTodo, LockKeyhole, LogOut, Menu, ScrollText, Settings, ShieldAlert, Target, Upload, Users, X } from "lucide-react";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { cn } from "../ui/cn";
import { GlobalSearch } from "./global-search";
import { LanguageSwitch } from "./language-switch";

const ICONS = { dashboard: LayoutDashboard, projects: FolderKanban, pipeline: Columns3, followUps: ListTodo, verification: BadgeCheck, flags: ShieldAlert, targets: Target, locks: LockKeyhole, reports: FileSpreadsheet, import: Upload, users: Users, units: Building2, audit: ScrollText, settings: Settings } as const;
export type TNavItem = { href: string; label: string; icon: keyof typeof ICONS; section?: string };

export function AppShell({
  nav,
  user,
  children,
}: {
  nav: TNavItem[];
  user: { name: string; email: string; role: string; unitName: string };
  children: React.ReactNode;
}) {
  const t = useTranslations();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const sections = [...new Set(nav.map((n) => n.section ?? ""))];

  const sidebar = (
    <nav aria-label={t("nav.main")} className="flex h-full flex-col bg-brand-900 text-slate-200">
      <Link href="/" className="flex items-center gap-3 px-5 py-5">
        <span className="grid size-9 place-items-center rounded-lg bg-white/15 text-base font-bold text-white">招</span>
        <span className="leading-tight">
          <span className="block text-sm font-semibold text-white">{t("app.name")}</span>
          <span className="block text-[11px] text-brand-200">{t("app.short")}</span>
        </span>
      </Link>
      <div className="px-3 pb-2">
        <GlobalSearch dark />
      </div>
      <div className="flex-1 space-y-5 overflow-y-auto px-3 py-2">
        {sections.map((section) => (
          <div key={section}>
            {section && <p className="px-2 pb-1.5 text-[11px] font-semibold tracking-wider text-brand-200/80 uppercase">{section}</p>}
            <ul className="space-y-0.5">
              {nav
                .filter((n) => (n.section ?? "") === section)
                .map((n) => {
                  const Icon = ICONS[n.icon];
                  const active = pathname === n.href || pathname.startsWith(`${n.href}/`);
                  return (
                    <li key={n.href}>
                      <Link
                        href={n.href}
                        onClick={() => setOpen(false)}
                        aria-current={active ? "page" : undefined}
                        className={cn(
                          "flex items-center gap-3 rounded-md px-2.5 py-2 text-sm",
                          active ? "bg-white/12 font-medium text-white" : "text-slate-300 hover:bg-white/5 hover:text-white",
                        )}
                      >
                        <Icon className="size-4 shrink-0" aria-hidden />
                        {n.label}
                      </Link>
                    </li>
                  );
                })}
            </ul>
          </div>
        ))}
      </div>
      <div className="border-t border-white/10 px-4 py-4">
        <p className="truncate text-sm font-medium text-white" data-testid="current-user">{user.name}</p>
        <p className="truncate text-xs text-brand-200">
          {user.unitName} · {user.role}
        </p>
        <div className="mt-3 flex items-center justify-between gap-2">
          <LanguageSwitch signedIn dark />
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: "/sign-in" })}
            className="inline-flex items-center gap-1.5 rounded px-2 py-1 text-xs text-slate-300 hover:bg-white/10 hover:text-white"
            data-testid="sign-out"
          >
            <LogOut className="size-3.5" aria-hidden />
            {t("auth.signOut")}
          </button>
        </div>
      </div>
    </nav>
  );

  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_1fr]">
      <aside className="sticky top-0 hidden h-screen lg:block">{sidebar}</aside>
      <div className="flex items-center justify-between bg-brand-900 px-4 py-3 text-white lg:hidden">
        <button type="button" onClick={() => setOpen(true)} aria-label={t("nav.openMenu")} className="rounded p-1 hover:bg-white/10">
          <Menu className="size-5" />
        </button>
        <span className="text-sm font-semibold">{t("app.name")}</span>
        <span className="w-7" />
      </div>
      {open && (
        <div className="fixed inset-0 z-40 lg:hidden">
          <button type="button" className="absolute inset-0 bg-slate-900/50" aria-label={t("nav.closeMenu")} onClick={() => setOpen(false)} />
          <div className="absolute inset-y-0 left-0 w-64">
            {sidebar}
            <button type="button" onClick={() => setOpen(false)} className="absolute top-4 right-3 rounded p-1 text-white hover:bg-white/10" aria-label={t("nav.closeMenu")}>
              <X className="size-4" />
            </button>
          </div>
        </div>
      )}
      <main className="min-w-0 px-4 py-6 sm:px-6 lg:px-8">{children}</main>
    </div>
  );
}
