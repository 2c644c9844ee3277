import { ShieldAlert } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { FLAG_RULES } from "@/lib/flags";
import { Card, CardHeader } from "@/app/_components/ui/misc";
import { CurrentBadge } from "./pipeline-panel";

/** 数据质量提示 on the dashboard: open flags per rule for the unit, each opening its list. */
export async function FlagsWidget({ unit, current = false }: { unit: string; current?: boolean }) {
  const list = await (await serverApi()).flags.list({ unit, status: "open", pageSize: 1 });
  const t = await getTranslations();
  const open = FLAG_RULES.reduce((n, r) => n + list.counts[r].open, 0);
  return (
    <Card data-testid="dashboard-flags">
      <CardHeader
        title={<span className="inline-flex items-center gap-1.5"><ShieldAlert className="size-4 text-amber-600" aria-hidden />{t("dashboard.flags")} <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs text-amber-800 tabular">{open}</span>{current && <CurrentBadge />}</span>}
        description={t("dashboard.flagsHint")}
        actions={<Link href={`/flags?unit=${encodeURIComponent(unit)}&status=open`} className="text-xs text-brand-700 hover:underline">{t("dashboard.viewAll")}</Link>}
      />
      <ul className="grid grid-cols-2 gap-px bg-slate-100 sm:grid-cols-3 xl:grid-cols-6">
        {FLAG_RULES.map((r) => (
          <li key={r} className="bg-white">
            <Link href={`/flags?unit=${encodeURIComponent(unit)}&rule=${r}&status=open`} className="block px-4 py-3 hover:bg-slate-50">
              <p className="text-xs text-slate-500">{t(`flags.rule.${r}`)}</p>
              <p className={`text-xl font-semibold tabular ${list.counts[r].open ? "text-amber-700" : "text-slate-400"}`}>{list.counts[r].open}</p>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}
