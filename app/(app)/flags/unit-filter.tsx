"use client";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { Select } from "@/app/_components/ui/form";

/** The unit filter of the flags page, written to the URL (page reset). */
export function UnitFilter({ value, units }: { value: string | undefined; units: Array<{ code: string; name: string; depth: number }> }) {
  const t = useTranslations("flags");
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-600">
      {t("unitFilter")}
      <Select
        value={value ?? ""}
        disabled={pending}
        className="w-56"
        data-testid="flags-unit"
        onChange={(e) => {
          const next = new URLSearchParams(params.toString());
          if (e.target.value) next.set("unit", e.target.value);
          else next.delete("unit");
          next.delete("page");
          const s = next.toString();
          startTransition(() => router.replace(`${pathname}${s ? `?${s}` : ""}`, { scroll: false }));
        }}
      >
        <option value="">{t("allUnits")}</option>
        {units.map((u) => (
          <option key={u.code} value={u.code}>
            {"\u3000".repeat(u.depth)}
            {u.name}
          </option>
        ))}
      </Select>
    </label>
  );
}
