import { Pencil } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { ButtonLink } from "@/app/_components/ui/button";
import { Badge, Card, CardHeader, DescriptionList, PageHeader } from "@/app/_components/ui/misc";
import { DateTime, Money, StageBadge, StatusBadge } from "@/app/_components/domain";
import { RULE_TONE } from "@/app/_components/flags/flag-item";
import { daysBetween, todayCN } from "@/lib/dates";
import { can } from "@/lib/permissions";
import { StageMoveButton } from "@/app/_components/projects/stage-move-dialog";
import { ContactsCard } from "./contacts-card";
import { InvestorCard } from "./investor-card";
import { TranchesCard } from "./tranches-card";
import { FlagsCard } from "./flags-card";
import { ActivitiesCard } from "./activities-card";
import { HistoryCard } from "./history-card";
import { STAGES } from "@/lib/domain";
import { systemNoteKey } from "@/lib/event-note";

async function load(id: string) {
  const api = await serverApi();
  try {
    return await Promise.all([api.projects.get({ id }), api.me.get(), api.units.list(), api.funds.byProject({ projectId: id }), api.flags.forProject({ projectId: id }), api.activities.byProject({ projectId: id })]);
  } catch (err) {
    // out of scope answers exactly like missing: a 404 page
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const api = await serverApi();
  const p = await api.projects.get({ id: projectId }).catch(() => null);
  return { title: p ? `${p.code} ${p.name}` : (await getTranslations("errors"))("notFound") };
}

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const [p, me, units, tranches, flags, activityRows] = await load(projectId);
  const t = await getTranslations();
  const currency = p.capitalType === "foreign" ? "USD" : "CNY";
  const writable = can(me!.role, "project.write");
  return (
    <>
      <PageHeader
        title={p.name}
        actions={
          writable && (
            <>
              <ButtonLink href={`/projects/${p.id}/edit`} data-testid="edit-project">
                <Pencil className="size-4" aria-hidden />
                {t("common.edit")}
              </ButtonLink>
              <StageMoveButton project={{ id: p.id, version: p.version, stage: p.stage, status: p.status, currency }} />
            </>
          )
        }
      >
        <nav className="mb-1 text-xs text-slate-500">
          <Link href="/projects" className="hover:text-slate-800">{t("projects.title")}</Link>
          <span className="mx-1.5">/</span>
          <span className="font-mono">{p.code}</span>
        </nav>
        <div className="mb-2 flex flex-wrap items-center gap-1.5" data-testid="project-badges">
          <StageBadge stage={p.stage} />
          <StatusBadge status={p.status} />
          <Badge tone={p.capitalType === "foreign" ? "violet" : "slate"}>{t(`enums.capitalType.${p.capitalType}`)}</Badge>
          <Badge tone="blue">{t(`enums.originClass.${p.originClass}`)}</Badge>
          {p.isMajor && <Badge tone="amber">{t("project.major")}</Badge>}
          {p.isEmerging && <Badge tone="green">{t("project.emerging")}</Badge>}
          {[...new Set(flags.filter((f) => !f.review).map((f) => f.rule))].map((rule) => (
            <Badge key={rule} tone={RULE_TONE[rule]} data-testid="project-flag-badge">{t(`flags.rule.${rule}`)}</Badge>
          ))}
        </div>
      </PageHeader>

      <div className="grid gap-5 xl:grid-cols-3">
        <div className="space-y-5 xl:col-span-2">
          <Card id="project-details" className="scroll-mt-24">
            <CardHeader title={t("project.details")} />
            <div className="px-5 py-4">
              <DescriptionList
                items={[
                  { label: t("project.code"), value: <span className="font-mono">{p.code}</span> },
                  { label: t("project.unit"), value: p.unit.name },
                  { label: t("project.owner"), value: p.owner?.name },
                  { label: t("project.industry"), value: t(`enums.industry.${p.industry}`) },
                  { label: t("project.sourceChannel"), value: t(`enums.sourceChannel.${p.sourceChannel}`) },
                  { label: t("project.plannedAmount"), value: <Money value={p.plannedAmount} currency={currency} /> },
                  { label: t("project.signedAmount"), value: <Money value={p.signedAmount} currency={currency} /> },
                  { label: t("project.signedOn"), value: p.signedOn },
                  { label: t("project.daysInStage"), value: t("project.daysSince", { days: daysBetween(p.stageSince, todayCN()), date: p.stageSince }) },
                  { label: t("project.registeredOn"), value: p.registeredOn },
                  { label: t("project.constructionOn"), value: p.constructionOn },
                  { label: t("project.productionOn"), value: p.productionOn },
                  ...(p.status !== "active" && p.statusReason ? [{ label: t("project.statusReason"), value: p.statusReason, wide: true }] : []),
                  { label: t("project.notes"), value: p.notes ? <span className="whitespace-pre-line">{p.notes}</span> : null, wide: true },
                ]}
              />
            </div>
          </Card>

          {flags.length > 0 && <FlagsCard flags={flags} canReview={can(me!.role, "flag.review")} />}

          {(STAGES.indexOf(p.stage) >= STAGES.indexOf("signed") || tranches.length > 0) && (
            <TranchesCard
              projectId={p.id}
              currency={currency}
              signedAmount={p.signedAmount}
              tranches={tranches}
              canReport={can(me!.role, "tranche.report") && p.status !== "lost"}
              canVerify={can(me!.role, "tranche.verify")}
              me={{ id: me!.id, isAdmin: me!.role === "admin" }}
            />
          )}

          <ActivitiesCard
            projectId={p.id}
            rows={activityRows}
            me={{ id: me!.id, isAdmin: me!.role === "admin" }}
            canWrite={can(me!.role, "activity.write")}
            isOwner={p.ownerId === me!.id}
          />

          <Card>
            <CardHeader title={t("project.timeline")} description={t("project.timelineHint")} />
            <ol className="px-5 py-4" data-testid="stage-timeline">
              {p.events.map((e, i) => (
                <li key={e.id} id={`event-${e.id}`} className="relative flex scroll-mt-24 gap-4 pb-5 last:pb-0 target:bg-amber-50">
                  {i < p.events.length - 1 && <span className="absolute top-5 left-[7px] h-full w-px bg-slate-200" aria-hidden />}
                  <span className={`relative mt-1 size-3.5 shrink-0 rounded-full ring-4 ring-white ${i === 0 ? "bg-brand-600" : "bg-slate-300"}`} aria-hidden />
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-1.5 text-sm">
                      {e.fromStage && e.fromStage !== e.toStage && (
                        <>
                          <StageBadge stage={e.fromStage} />
                          <span className="text-slate-400">→</span>
                        </>
                      )}
                      <StageBadge stage={e.toStage} />
                      {(e.fromStatus !== e.toStatus || e.toStatus !== "active") && <StatusBadge status={e.toStatus} />}
                      {e.signedAmount && (
                        <span className="text-slate-600">
                          {t("project.signedFor")} <Money value={e.signedAmount} currency={currency} />
                        </span>
                      )}
                    </div>
                    <p className="mt-1 text-xs text-slate-500">
                      <span className="font-medium text-slate-700" data-testid="event-business-date">{t("project.businessDate")} {e.businessDate}</span>
                      {" · "}
                      {e.actorName ?? t("common.system")}
                      {" · "}
                      {t("project.recordedAt")} <DateTime value={e.recordedAt} />
                    </p>
                    {e.reason && <p className="mt-1 text-sm text-red-700">{t("project.reason")}：{e.reason}</p>}
                    {e.note && <p className="mt-1 text-sm whitespace-pre-line text-slate-700">{systemNoteKey(e.note) ? t(systemNoteKey(e.note)!) : e.note}</p>}
                  </div>
                </li>
              ))}
            </ol>
          </Card>

          <HistoryCard projectId={p.id} />
        </div>

        <div className="space-y-5">
          <InvestorCard
            investor={p.investor}
            foreign={p.capitalType === "foreign"}
            cities={units.filter((u) => u.kind === "city").map((u) => ({ code: u.code, name: u.name }))}
            homeProvince={`${p.unit.path.slice(0, 2)}0000`}
            writable={writable}
          />
          <ContactsCard investorId={p.investor.id} contacts={p.contacts} writable={writable} />
        </div>
      </div>
    </>
  );
}
