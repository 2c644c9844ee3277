import { FileSpreadsheet, Printer } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { Card, CardHeader, PageHeader } from "@/app/_components/ui/misc";
import { buttonClass, ButtonLink } from "@/app/_components/ui/button";
import { DashboardControls } from "../dashboard/_components/controls";
import { parseDashParams } from "../dashboard/_components/params";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("reports") };
}

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const api = await serverApi();
  const [me, units] = await Promise.all([api.me.get(), api.units.list()]);
  const p = parseDashParams(await searchParams, me!.unitCode);
  const t = await getTranslations("reports");
  const base = units[0]?.depth ?? 0;
  const q = new URLSearchParams({ unit: p.unit, from: p.from, to: p.to, ...(p.asOf ? { asOf: p.asOf.toISOString() } : {}) });
  return (
    <>
      <PageHeader title={t("title")} description={t("hint")} />
      <DashboardControls key={q.toString()} unit={p.unit} from={p.from} to={p.to} asOf={p.asOf?.toISOString() ?? null} units={units.map((u) => ({ code: u.code, name: u.name, depth: u.depth - base }))} />
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader title={t("reviewPack")} description={t("reviewPackHint")} />
          <div className="flex flex-wrap gap-2 px-5 py-4">
            <a className={buttonClass({ variant: "primary" })} href={`/api/export/review-pack?${q}&format=xlsx`} download data-testid="review-xlsx">
              <FileSpreadsheet className="size-4" aria-hidden />
              XLSX
            </a>
            <a className={buttonClass()} href={`/api/export/review-pack?${q}&format=csv`} download>CSV</a>
            <ButtonLink href={`/reports/review?${q}`} data-testid="review-print">
              <Printer className="size-4" aria-hidden />
              {t("printView")}
            </ButtonLink>
          </div>
        </Card>
        <Card>
          <CardHeader title={t("stageReport")} description={t("stageReportHint")} />
          <div className="flex flex-wrap gap-2 px-5 py-4">
            <a className={buttonClass({ variant: "primary" })} href={`/api/export/projects?unit=${encodeURIComponent(p.unit)}&format=xlsx&kind=stage-report`} download>
              <FileSpreadsheet className="size-4" aria-hidden />
              XLSX
            </a>
            <a className={buttonClass()} href={`/api/export/projects?unit=${encodeURIComponent(p.unit)}&format=csv&kind=stage-report`} download>CSV</a>
            <ButtonLink href={`/projects?unit=${encodeURIComponent(p.unit)}`}>{t("filterFirst")}</ButtonLink>
          </div>
        </Card>
      </div>
    </>
  );
}
