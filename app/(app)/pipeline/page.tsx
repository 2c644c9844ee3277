import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { parseProjectFilters, type TSearchParams } from "@/app/_lib/project-filters";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { ProjectFilters } from "../projects/_components/project-filters";
import { Board } from "./board";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("pipeline") };
}

export default async function PipelinePage({ searchParams }: { searchParams: Promise<TSearchParams> }) {
  const sp = await searchParams;
  const { sort: _s, dir: _d, page: _p, pageSize: _z, ...filters } = parseProjectFilters(sp);
  const api = await serverApi();
  const [me, columns, units, owners] = await Promise.all([api.me.get(), api.board.load(filters), api.units.list(), api.users.list({ includeDisabled: false, role: "staff" })]);
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("nav.pipeline")} description={t("board.hint", { unit: me!.unitName })} />
      <ProjectFilters
        state={parseProjectFilters(sp)}
        units={units.map((u) => ({ code: u.code, name: u.name, depth: u.depth - (units[0]?.depth ?? 0) }))}
        owners={owners.map((o) => ({ id: o.id, name: t("common.withNote", { text: o.name, note: o.unitName }) }))}
      />
      <Board key={JSON.stringify(filters)} filters={filters} columns={columns} canMove={can(me!.role, "project.write")} />
    </>
  );
}
