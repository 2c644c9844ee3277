// Small display pieces shared by pages: stage/status badges, amounts, dates. They use
// useTranslations/useLocale, so they render in server and client components alike.
import { useLocale, useTranslations } from "next-intl";
import type { TCurrency, TStage, TStatus } from "@/lib/domain";
import { formatMoney, toWan, type TLocale } from "@/lib/money";
import { Badge, type TTone } from "./ui/misc";

const STAGE_TONE: Record<TStage, TTone> = { contact: "slate", negotiation: "blue", signed: "violet", funds: "green" };
const STATUS_TONE: Record<TStatus, TTone> = { active: "teal", on_hold: "amber", lost: "red" };

export function StageBadge({ stage }: { stage: TStage }) {
  const t = useTranslations("enums.stage");
  return <Badge tone={STAGE_TONE[stage]}>{t(stage)}</Badge>;
}

export function StatusBadge({ status, hideActive = false }: { status: TStatus; hideActive?: boolean }) {
  const t = useTranslations("enums.status");
  if (hideActive && status === "active") return null;
  return <Badge tone={STATUS_TONE[status]}>{t(status)}</Badge>;
}

/** An amount in 万元/亿元 (亿美元) or CNY/USD bn/m, with the exact figure as a tooltip. */
export function Money({ value, currency, digits = 2 }: { value: string | null | undefined; currency: TCurrency; digits?: number }) {
  const locale = useLocale() as TLocale;
  if (value === null || value === undefined) return <span className="text-slate-400">—</span>;
  return (
    <span className="tabular" title={`${currency} ${value}`}>
      {formatMoney(value, currency, locale, digits)}
    </span>
  );
}

/** Amount in 万 of its currency, for table columns whose header carries the unit. */
export function Wan({ value }: { value: string | null | undefined }) {
  if (value === null || value === undefined) return <span className="text-slate-400">—</span>;
  return (
    <span className="tabular" title={value}>
      {toWan(value)}
    </span>
  );
}

export function DateTime({ value }: { value: Date | string }) {
  const locale = useLocale();
  const d = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={d.toISOString()} className="tabular">
      {new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(d)}
    </time>
  );
}
