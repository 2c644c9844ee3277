"use client";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { Select } from "@/app/_components/ui/form";

/** Unit and year filters of the lock list, written to the URL so a link can be shared. */
export function LockFilters({ unit, year, years, units }: { unit?: string; year?: number; years: number[]; units: Array<{ code: string; name: string; depth: number }> }) {
  const t = useTranslations("locks");
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    const s = next.toString();
    startTransition(() => router.replace(`${pathname}${s ? `?${s}` : ""}`, { scroll: false }));
  };
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="inline-flex items-center gap-2 text-sm text-slate-600">
        {t("unitFilter")}
        <Select value={unit ?? ""} disabled={pending} className="w-56" onChange={(e) => set("unit", e.target.value)} data-testid="locks-unit">
          <option value="">{t("allUnits")}</option>
          {units.map((u) => (
            <option key={u.code} value={u.code}>
              {"\u3000".repeat(u.depth)}
              {u.name}
            </option>
          ))}
        </Select>
      </label>
      <label className="inline-flex items-center gap-2 text-sm text-slate-600">
        {t("yearFilter")}
        <Select value={year ? String(year) : ""} disabled={pending} className="w-32" onChange={(e) => set("year", e.target.value)} data-testid="locks-year">
          <option value="">{t("allYears")}</option>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </Select>
      </label>
    </div>
  );
}
