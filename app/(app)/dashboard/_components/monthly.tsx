import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { Card, CardHeader } from "@/app/_components/ui/misc";
import { MonthlyChart } from "./monthly-chart";
import type { TDashParams } from "./params";

export async function Monthly({ p }: { p: TDashParams }) {
  const year = Number(p.to.slice(0, 4));
  const data = await (await serverApi()).figures.monthly({ unit: p.unit, year, asOf: p.asOf });
  const t = await getTranslations("dashboard");
  return (
    <Card>
      <CardHeader title={t("monthly")} description={t("monthlyHint", { year, last: year - 1 })} />
      <div className="px-3 py-4">
        <MonthlyChart data={data} />
      </div>
    </Card>
  );
}
