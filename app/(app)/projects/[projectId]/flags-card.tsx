import { useTranslations } from "next-intl";
import Link from "next/link";
import { FlagItem, type TFlagView } from "@/app/_components/flags/flag-item";
import { Card, CardHeader } from "@/app/_components/ui/misc";

/** The project's integrity flags, open first; leaders mark them reviewed here too. */
export function FlagsCard({ flags, canReview }: { flags: TFlagView[]; canReview: boolean }) {
  const t = useTranslations();
  const sorted = [...flags].sort((a, b) => Number(a.review !== null) - Number(b.review !== null));
  return (
    <Card data-testid="project-flags">
      <CardHeader
        title={t("flags.projectCard")}
        description={t("flags.projectCardHint")}
        actions={<Link href="/flags" className="text-xs text-brand-700 hover:underline">{t("flags.viewAll")}</Link>}
      />
      <ul className="divide-y divide-slate-100">
        {sorted.map((f) => (
          <FlagItem key={f.key} flag={f} canReview={canReview} showProject={false} />
        ))}
      </ul>
    </Card>
  );
}
