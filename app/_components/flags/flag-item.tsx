// One integrity flag, explaining itself in the user's language: what was found, the rows behind
// it (links to those rows on their projects' pages), and its review — or the "mark reviewed" button for leaders.
// Uses useTranslations/useLocale, so it renders in server and client components alike.
import type { inferRouterOutputs } from "@trpc/server";
import { CheckCircle2 } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import type { TFlagRule } from "@/lib/flags";
import { formatMoney, type TLocale } from "@/lib/money";
import type { AppRouter } from "@/server/api/root";
import { Badge, type TTone } from "@/app/_components/ui/misc";
import { ReviewFlagButton } from "./review-flag-dialog";

export type TFlagView = inferRouterOutputs<AppRouter>["flags"]["list"]["rows"][number];
type TT = ReturnType<typeof useTranslations>;

export const RULE_TONE: Record<TFlagRule, TTone> = {
  backdated: "amber",
  over_signed: "red",
  duplicate_evidence: "red",
  skipped_stage: "violet",
  repeat_signing: "amber",
  three_not: "slate",
};

const dateTime = (locale: string, d: Date | string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" }).format(typeof d === "string" ? new Date(d) : d);

/** The sentences that explain a flag (also the summary in the review dialog). */
export function explainFlag(flag: TFlagView, t: TT, locale: TLocale): string[] {
  const money = (v: string, currency: "CNY" | "USD") => formatMoney(v, currency, locale);
  const sep = t("flags.explain.separator");
  switch (flag.rule) {
    case "backdated": {
      const d = flag.detail;
      return [
        ...(d.late ? [t("flags.explain.backdatedLate", { arrivedOn: d.arrivedOn, reportedOn: d.reportedOn, days: d.days, threshold: d.thresholdDays })] : []),
        ...(d.lock
          ? [
              d.lock.reopenedAt
                ? t("flags.explain.backdatedLockedReopened", { periodStart: d.lock.periodStart, periodEnd: d.lock.periodEnd, lockedAt: dateTime(locale, d.lock.lockedAt), reopenedAt: dateTime(locale, d.lock.reopenedAt) })
                : t("flags.explain.backdatedLocked", { periodStart: d.lock.periodStart, periodEnd: d.lock.periodEnd, lockedAt: dateTime(locale, d.lock.lockedAt) }),
            ]
          : []),
      ];
    }
    case "over_signed": {
      const d = flag.detail;
      return [t("flags.explain.overSigned", { verified: money(d.verified, d.currency), n: d.trancheCount, signed: money(d.signed, d.currency), excess: money(d.excess, d.currency), pct: d.pct })];
    }
    case "duplicate_evidence": {
      const d = flag.detail;
      return [
        t("flags.explain.duplicateEvidence", { evidenceNo: d.evidenceNo, total: d.total }),
        ...(d.outsideCount ? [t("flags.explain.outsideTranches", { n: d.outsideCount })] : []),
      ];
    }
    case "skipped_stage": {
      const d = flag.detail;
      return [
        t("flags.explain.skippedStage", {
          date: d.businessDate,
          from: t(`enums.stage.${d.from}`),
          to: t(`enums.stage.${d.to}`),
          skipped: d.skipped.map((s) => t(`enums.stage.${s}`)).join(sep),
        }),
        t("flags.explain.recordedBy", { name: d.actorName ?? t("common.system"), at: dateTime(locale, d.recordedAt) }),
      ];
    }
    case "repeat_signing": {
      const d = flag.detail;
      return [
        t("flags.explain.repeatSigning", { investor: d.investorName, units: d.unitCount }),
        ...(d.outsideCount ? [t("flags.explain.outsideProjects", { n: d.outsideCount })] : []),
      ];
    }
    case "three_not": {
      const d = flag.detail;
      return [t("flags.explain.threeNot", { signedOn: d.signedOn, days: d.days, threshold: d.thresholdDays, items: d.missing.map((m) => t(`flags.threeNot.${m}`)).join(sep) })];
    }
  }
}

const TRANCHE_TONE = { pending: "amber", verified: "green", rejected: "red" } as const;

const rowLink = "text-brand-700 hover:underline";

/**
 * The rows behind a flag, each linking to the exact row on its project's page (the tranche rows
 * and stage events carry anchors: #tranche-<id>, #event-<id>). Only rows in scope are listed.
 */
function FlagRows({ flag }: { flag: TFlagView }) {
  const t = useTranslations();
  const locale = useLocale() as TLocale;
  const money = (v: string, c: "CNY" | "USD") => formatMoney(v, c, locale);
  const at = (anchor: string, projectId = flag.projectId) => `/projects/${projectId}#${anchor}`;
  const list = (children: React.ReactNode) => (
    <ul className="mt-2 space-y-1 text-xs text-slate-600" data-testid="flag-rows">
      {children}
    </ul>
  );
  switch (flag.rule) {
    case "backdated": {
      const d = flag.detail;
      return list(
        <li className="flex flex-wrap items-center gap-x-2">
          <Link href={at(`tranche-${d.trancheId}`)} className={rowLink} data-testid="flag-row-link">{t("flags.links.tranche", { date: d.arrivedOn })}</Link>
          <span className="tabular">{money(d.amount, d.currency)}</span>
          <Badge tone={TRANCHE_TONE[d.status]}>{t(`enums.trancheStatus.${d.status}`)}</Badge>
        </li>,
      );
    }
    case "over_signed": {
      const d = flag.detail;
      return list(
        d.tranches.map((x) => (
          <li key={x.id} className="flex flex-wrap items-center gap-x-2">
            <Link href={at(`tranche-${x.id}`)} className={rowLink} data-testid="flag-row-link">{t("flags.links.tranche", { date: x.arrivedOn })}</Link>
            <span className="tabular">{money(x.amount, d.currency)}</span>
          </li>
        )),
      );
    }
    case "duplicate_evidence":
      return list(
        flag.detail.tranches.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-x-2">
            <Link href={at(`tranche-${r.id}`, r.projectId)} className={rowLink} data-testid="flag-row-link">
              <span className="font-mono">{r.projectCode}</span> {r.projectName}
            </Link>
            <span>{r.unitName}</span>
            <span className="tabular">{r.arrivedOn}</span>
            <span className="tabular">{money(r.amount, r.currency)}</span>
            <Badge tone={TRANCHE_TONE[r.status]}>{t(`enums.trancheStatus.${r.status}`)}</Badge>
          </li>
        )),
      );
    case "skipped_stage": {
      const d = flag.detail;
      return list(
        <li className="flex flex-wrap items-center gap-x-2">
          <Link href={at(`event-${d.eventId}`)} className={rowLink} data-testid="flag-row-link">{t("flags.links.event", { date: d.businessDate })}</Link>
          <span>{t(`enums.stage.${d.from}`)} → {t(`enums.stage.${d.to}`)}</span>
        </li>,
      );
    }
    case "repeat_signing":
      return list(
        flag.detail.projects.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center gap-x-2">
            <Link href={`/projects/${p.id}`} className={rowLink} data-testid="flag-row-link">
              <span className="font-mono">{p.code}</span> {p.name}
            </Link>
            <span>{p.unitName}</span>
            <span>{t("flags.explain.signedOn", { date: p.signedOn })}</span>
            {p.signedAmount && <span className="tabular">{money(p.signedAmount, p.currency)}</span>}
          </li>
        )),
      );
    case "three_not":
      return list(
        <li>
          <Link href={at("project-details")} className={rowLink} data-testid="flag-row-link">{t("flags.links.details")}</Link>
        </li>,
      );
  }
}

export function FlagItem({ flag, canReview, showProject = true }: { flag: TFlagView; canReview: boolean; showProject?: boolean }) {
  const t = useTranslations();
  const locale = useLocale() as TLocale;
  const lines = explainFlag(flag, t, locale);
  const title = `${t(`flags.rule.${flag.rule}`)} · ${flag.projectCode} ${flag.projectName}`;
  return (
    <li className="px-5 py-3.5" data-testid="flag-item" data-flag-rule={flag.rule} data-flag-key={flag.key}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={RULE_TONE[flag.rule]}>{t(`flags.rule.${flag.rule}`)}</Badge>
            {flag.review && (
              <Badge tone="green" data-testid="flag-reviewed">
                {t("flags.reviewed")}
              </Badge>
            )}
            {showProject && (
              <>
                <Link href={`/projects/${flag.projectId}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                  {flag.projectName}
                </Link>
                <span className="text-xs text-slate-500">
                  <span className="font-mono">{flag.projectCode}</span> · {flag.unitName}
                </span>
              </>
            )}
          </div>
          {lines.map((l, i) => (
            <p key={i} className="mt-1 text-sm text-slate-700" data-testid="flag-explain">
              {l}
            </p>
          ))}
          <FlagRows flag={flag} />
          {flag.review && (
            <div className="mt-2 flex gap-2 rounded-md bg-emerald-50/60 px-3 py-2 text-xs text-slate-700 ring-1 ring-emerald-100 ring-inset">
              <CheckCircle2 className="mt-0.5 size-3.5 shrink-0 text-emerald-600" aria-hidden />
              <div>
                <p className="text-slate-500">{t("flags.reviewedBy", { name: flag.review.reviewedBy ?? t("common.system"), at: dateTime(locale, flag.review.reviewedAt) })}</p>
                <p className="mt-0.5 whitespace-pre-line" data-testid="flag-review-note-text">{flag.review.note}</p>
              </div>
            </div>
          )}
        </div>
        {!flag.review && canReview && <ReviewFlagButton flagKey={flag.key} title={title} summary={lines} />}
      </div>
    </li>
  );
}
