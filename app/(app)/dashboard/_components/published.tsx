import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { serverApi } from "@/app/_lib/trpc/server";
import { Card, CardHeader } from "@/app/_components/ui/misc";
import { DateTime } from "@/app/_components/domain";
import { can } from "@/lib/permissions";
import { PublishButton } from "./publish-button";
import type { TDashParams } from "./params";

/** Published (frozen) figures of this unit and period, and the button to publish them. */
export async function Published({ p }: { p: TDashParams }) {
  const api = await serverApi();
  const [me, list] = await Promise.all([api.me.get(), api.figures.published({ unit: p.unit, from: p.from, to: p.to })]);
  const t = await getTranslations("dashboard");
  return (
    <Card data-testid="published-panel">
      <CardHeader
        title={t("published")}
        description={t("publishedHint")}
        actions={can(me!.role, "figures.publish") && !p.asOf && <PublishButton unit={p.unit} from={p.from} to={p.to} />}
      />
      {list.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">{t("notPublished")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {list.map((x) => (
            <li key={x.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
              <span>
                <DateTime value={x.publishedAt} /> · {x.publishedBy}
                <span className="ml-2 font-mono text-xs text-slate-400" title={x.hash}>#{x.hash.slice(0, 12)}</span>
              </span>
              <Link href={`/dashboard/published/${x.id}`} className="text-brand-700 hover:underline" data-testid="compare-published">
                {t("compare")}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
