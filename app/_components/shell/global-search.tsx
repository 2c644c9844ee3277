"use client";
import { useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { Building, FolderOpen, Search, UserRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useTRPC } from "@/app/_lib/trpc/client";
import { Dialog } from "../ui/dialog";

/** Search projects, investors and contacts in scope, as you type (Ctrl/⌘ K). */
export function GlobalSearch({ dark = false }: { dark?: boolean }) {
  const t = useTranslations("search");
  const tc = useTranslations("common");
  const router = useRouter();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const id = setTimeout(() => setDebounced(q.trim()), 200);
    return () => clearTimeout(id);
  }, [q]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const results = useQuery(trpc.board.search.queryOptions({ q: debounced, limit: 6 }, { enabled: open && debounced.length > 0 }));
  // every result opens something: contacts come only with a project of their investor in scope
  const go = (href: string) => {
    setOpen(false);
    setQ("");
    router.push(href);
  };
  const r = results.data;
  const none = !!r && r.projects.length + r.investors.length + r.contacts.length === 0;
  const item = "flex cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm text-slate-700 aria-selected:bg-brand-50 aria-selected:text-brand-800";
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className={dark ? "flex w-full items-center gap-2 rounded-md bg-white/10 px-3 py-2 text-sm text-slate-300 hover:bg-white/15" : "flex items-center gap-2 rounded-md px-2 py-1 text-sm ring-1 ring-slate-300"}
        data-testid="open-search"
      >
        <Search className="size-4" aria-hidden />
        <span className="flex-1 text-left">{t("open")}</span>
        <kbd className="rounded bg-white/10 px-1.5 text-[10px] font-medium">Ctrl K</kbd>
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("title")} closeLabel={t("close")} className="w-[min(40rem,calc(100vw-2rem))]" testId="search-dialog">
        <Command shouldFilter={false} label={t("title")}>
          <div className="flex items-center gap-2 rounded-md px-3 ring-1 ring-slate-300 focus-within:ring-2 focus-within:ring-brand-500">
            <Search className="size-4 text-slate-400" aria-hidden />
            <Command.Input value={q} onValueChange={setQ} placeholder={t("placeholder")} className="h-10 flex-1 bg-transparent text-sm outline-none" autoFocus data-testid="search-input" />
          </div>
          <Command.List className="mt-3 max-h-96 overflow-y-auto" data-testid="search-results">
            {debounced && results.isFetching && !r && <Command.Loading><p className="px-3 py-2 text-sm text-slate-500">{t("searching")}</p></Command.Loading>}
            {none && <p className="px-3 py-6 text-center text-sm text-slate-500">{t("empty")}</p>}
            {!!r?.projects.length && (
              <Command.Group heading={t("projects")} className="text-xs text-slate-500 [&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:py-1">
                {r.projects.map((p) => (
                  <Command.Item key={p.id} value={`p:${p.id}`} onSelect={() => go(`/projects/${p.id}`)} className={item}>
                    <FolderOpen className="size-4 text-slate-400" aria-hidden />
                    <span className="flex-1 truncate">{p.name}</span>
                    <span className="font-mono text-xs text-slate-400">{p.code}</span>
                  </Command.Item>
                ))}
              </Command.Group>
            )}
            {!!r?.investors.length && (
              <Command.Group heading={t("investors")} className="text-xs text-slate-500 [&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:py-1">
                {r.investors.map((i) => (
                  <Command.Item key={i.id} value={`i:${i.id}`} onSelect={() => go(i.projectId ? `/projects/${i.projectId}` : `/projects?q=${encodeURIComponent(i.name)}`)} className={item}>
                    <Building className="size-4 text-slate-400" aria-hidden />
                    <span className="flex-1 truncate">{i.name}</span>
                    {i.creditCode && <span className="font-mono text-xs text-slate-400">{i.creditCode}</span>}
                  </Command.Item>
                ))}
              </Command.Group>
            )}
            {!!r?.contacts.length && (
              <Command.Group heading={t("contacts")} className="text-xs text-slate-500 [&_[cmdk-group-heading]]:px-3 [&_[cmdk-group-heading]]:py-1">
                {r.contacts.map((c) => (
                  <Command.Item key={c.id} value={`c:${c.id}`} onSelect={() => go(`/projects/${c.projectId}`)} className={item}>
                    <UserRound className="size-4 text-slate-400" aria-hidden />
                    <span className="flex-1 truncate">{c.title ? tc("withNote", { text: c.name, note: c.title }) : c.name} · {c.investorName}</span>
                    {c.phone && <span className="text-xs text-slate-400">{c.phone}</span>}
                  </Command.Item>
                ))}
              </Command.Group>
            )}
          </Command.List>
        </Command>
      </Dialog>
    </>
  );
}
