"use client";
import { Search, SlidersHorizontal, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { CAPITAL_TYPES, INDUSTRIES, ORIGIN_CLASSES, SOURCE_CHANNELS, STAGES, STATUSES } from "@/lib/domain";
import type { TProjectListState } from "@/app/_lib/project-filters";
import { cn } from "@/app/_components/ui/cn";
import { Input, Select } from "@/app/_components/ui/form";

type TUnitOption = { code: string; name: string; depth: number };
type TOwnerOption = { id: string; name: string };

/** Filter bar of the project list: every change is written to the URL (shareable, back-button safe). */
export function ProjectFilters({ state, units, owners }: { state: TProjectListState; units: TUnitOption[]; owners: TOwnerOption[] }) {
  const t = useTranslations();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [q, setQ] = useState(state.q ?? "");
  const advancedCount = [state.sourceChannel, state.industry, state.emerging, state.originClass, state.ownerId].filter((v) => v !== undefined).length;
  const [more, setMore] = useState(advancedCount > 0);

  function set(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete("page");
    const s = next.toString();
    startTransition(() => router.replace(`${pathname}${s ? `?${s}` : ""}`, { scroll: false }));
  }

  // search as you type, debounced
  useEffect(() => {
    if ((state.q ?? "") === q) return;
    const id = setTimeout(() => set({ q: q.trim() || undefined }), 300);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const toggleStage = (s: string) => {
    const cur = new Set(state.stage ?? []);
    if (cur.has(s as never)) cur.delete(s as never);
    else cur.add(s as never);
    set({ stage: [...cur].join(",") || undefined });
  };
  const anyFilter = params.toString().replace(/(^|&)(sort|dir|size|page)=[^&]*/g, "") !== "";

  return (
    <div className={cn("rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200", pending && "opacity-80")} data-testid="project-filters">
      <div className="flex flex-wrap items-center gap-2">
        <div className="relative min-w-56 flex-1">
          <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-slate-400" aria-hidden />
          <Input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t("projects.searchPlaceholder")}
            aria-label={t("projects.search")}
            className="pl-8"
            data-testid="project-search"
          />
        </div>
        <div role="group" aria-label={t("project.stage")} className="flex flex-wrap gap-1">
          {STAGES.map((s) => {
            const on = state.stage?.includes(s) ?? false;
            return (
              <button
                key={s}
                type="button"
                aria-pressed={on}
                onClick={() => toggleStage(s)}
                data-testid={`filter-stage-${s}`}
                className={cn(
                  "h-9 rounded-md px-3 text-sm ring-1 ring-inset",
                  on ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
                )}
              >
                {t(`enums.stage.${s}`)}
              </button>
            );
          })}
        </div>
        <Select aria-label={t("project.status")} className="w-auto" value={state.status?.join(",") ?? ""} onChange={(e) => set({ status: e.target.value || undefined })} data-testid="filter-status">
          <option value="">{t("projects.allStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>{t(`enums.status.${s}`)}</option>
          ))}
          <option value="active,on_hold">{t("projects.notLost")}</option>
        </Select>
        <Select aria-label={t("project.capitalType")} className="w-auto" value={state.capitalType ?? ""} onChange={(e) => set({ capital: e.target.value || undefined })} data-testid="filter-capital">
          <option value="">{t("projects.allCapital")}</option>
          {CAPITAL_TYPES.map((c) => (
            <option key={c} value={c}>{t(`enums.capitalType.${c}`)}</option>
          ))}
        </Select>
        <Select aria-label={t("project.unit")} className="w-auto max-w-56" value={state.unit ?? ""} onChange={(e) => set({ unit: e.target.value || undefined })} data-testid="filter-unit">
          <option value="">{t("projects.allUnits")}</option>
          {units.map((u) => (
            <option key={u.code} value={u.code}>{`${"\u3000".repeat(u.depth)}${u.name}`}</option>
          ))}
        </Select>
        <Select aria-label={t("project.major")} className="w-auto" value={state.major === undefined ? "" : state.major ? "1" : "0"} onChange={(e) => set({ major: e.target.value || undefined })} data-testid="filter-major">
          <option value="">{t("projects.allSizes")}</option>
          <option value="1">{t("project.major")}</option>
          <option value="0">{t("projects.notMajor")}</option>
        </Select>
        <button
          type="button"
          onClick={() => setMore((m) => !m)}
          aria-expanded={more}
          className="inline-flex h-9 items-center gap-1.5 rounded-md px-3 text-sm text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        >
          <SlidersHorizontal className="size-4" aria-hidden />
          {t("projects.moreFilters")}
          {advancedCount > 0 && <span className="rounded-full bg-brand-600 px-1.5 text-xs text-white">{advancedCount}</span>}
        </button>
        {anyFilter && (
          <button type="button" onClick={() => { setQ(""); startTransition(() => router.replace(pathname, { scroll: false })); }} className="inline-flex h-9 items-center gap-1 px-2 text-sm text-slate-500 hover:text-slate-800" data-testid="clear-filters">
            <X className="size-4" aria-hidden />
            {t("projects.clearFilters")}
          </button>
        )}
      </div>
      {(state.funded || state.pendingIn || state.signedIn || state.stale || state.unfunded) && (
        <div className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3 text-sm" data-testid="drilldown-filters">
          <span className="text-xs text-slate-500">{t("projects.drilldown")}</span>
          {(
            [
              ["funded", state.funded && t("projects.fundedIn", state.funded)],
              ["pending", state.pendingIn && t("projects.pendingIn", state.pendingIn)],
              ["signed", state.signedIn && t("projects.signedIn", state.signedIn)],
              ["stale", state.stale && t("projects.staleOnly")],
              ["unfunded", state.unfunded && t("projects.unfundedOnly")],
            ] as const
          )
            .filter(([, label]) => label)
            .map(([key, label]) => (
              <button key={key} type="button" onClick={() => set({ [key]: undefined })} className="inline-flex items-center gap-1 rounded-full bg-brand-50 px-2.5 py-1 text-xs text-brand-800 ring-1 ring-brand-200 hover:bg-brand-100">
                {label}
                <X className="size-3" aria-label={t("projects.removeFilter")} />
              </button>
            ))}
        </div>
      )}
      {more && (
        <div className="mt-3 grid grid-cols-1 gap-2 border-t border-slate-100 pt-3 sm:grid-cols-2 lg:grid-cols-5">
          <Select aria-label={t("project.originClass")} value={state.originClass?.join(",") ?? ""} onChange={(e) => set({ origin: e.target.value || undefined })} data-testid="filter-origin">
            <option value="">{t("projects.allOrigins")}</option>
            {ORIGIN_CLASSES.map((o) => (
              <option key={o} value={o}>{t(`enums.originClass.${o}`)}</option>
            ))}
          </Select>
          <Select aria-label={t("project.owner")} value={state.ownerId ?? ""} onChange={(e) => set({ owner: e.target.value || undefined })} data-testid="filter-owner">
            <option value="">{t("projects.allOwners")}</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>{o.name}</option>
            ))}
          </Select>
          <Select aria-label={t("project.sourceChannel")} value={state.sourceChannel ?? ""} onChange={(e) => set({ channel: e.target.value || undefined })}>
            <option value="">{t("projects.allChannels")}</option>
            {SOURCE_CHANNELS.map((c) => (
              <option key={c} value={c}>{t(`enums.sourceChannel.${c}`)}</option>
            ))}
          </Select>
          <Select aria-label={t("project.industry")} value={state.industry ?? ""} onChange={(e) => set({ industry: e.target.value || undefined })}>
            <option value="">{t("projects.allIndustries")}</option>
            {INDUSTRIES.map((i) => (
              <option key={i} value={i}>{t(`enums.industry.${i}`)}</option>
            ))}
          </Select>
          <Select aria-label={t("project.emerging")} value={state.emerging === undefined ? "" : state.emerging ? "1" : "0"} onChange={(e) => set({ emerging: e.target.value || undefined })}>
            <option value="">{t("projects.allEmerging")}</option>
            <option value="1">{t("project.emerging")}</option>
            <option value="0">{t("projects.notEmerging")}</option>
          </Select>
        </div>
      )}
    </div>
  );
}
