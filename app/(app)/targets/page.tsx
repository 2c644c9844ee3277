import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { PageHeader } from "@/app/_components/ui/misc";
import { todayCN } from "@/lib/dates";
import { can } from "@/lib/permissions";
import { TargetsGrid } from "./targets-grid";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("targets") };
}

export default async function TargetsPage({ searchParams }: { searchParams: Promise<{ unit?: string; year?: string }> }) {
  const sp = await searchParams;
  const api = await serverApi();
  const me = (await api.me.get())!;
  const thisYear = Number(todayCN().slice(0, 4));
  const year = Number(sp.year) >= 2000 && Number(sp.year) <= 2100 ? Number(sp.year) : thisYear;
  const units = await api.units.list();
  const unit = units.find((u) => u.code === sp.unit)?.code ?? me.unitCode;
  const rows = await api.targets.list({ unit, year });
  const t = await getTranslations();
  const base = units[0]?.depth ?? 0;
  return (
    <>
      <PageHeader title={t("nav.targets")} description={t("targets.hint")} />
      <TargetsGrid
        key={`${unit}-${year}`}
        year={year}
        unit={unit}
        years={[thisYear + 1, thisYear, thisYear - 1, thisYear - 2]}
        units={units.filter((u) => u.kind === "province" || u.kind === "city" || u.code === unit).map((u) => ({ code: u.code, name: u.name, depth: u.depth - base }))}
        rows={rows.map((r) => ({ id: r.id, code: r.code, name: r.name, values: r.values }))}
        editable={can(me.role, "target.write")}
      />
    </>
  );
}
