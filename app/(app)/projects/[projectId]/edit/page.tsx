import { TRPCError } from "@trpc/server";
import { getTranslations } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { serverApi } from "@/app/_lib/trpc/server";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { STAGES } from "@/lib/domain";
import { ProjectForm } from "../../_components/project-form";
import { projectFormOptions } from "../../_components/form-options";

export async function generateMetadata() {
  return { title: (await getTranslations("projectForm"))("editTitle") };
}

export default async function EditProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const api = await serverApi();
  const p = await api.projects.get({ id: projectId }).catch((err) => {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  });
  const { me, units, owners, homeProvince } = await projectFormOptions();
  if (!can(me.role, "project.write")) redirect(`/projects/${p.id}`);
  const t = await getTranslations();
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title={t("projectForm.editTitle")} description={`${p.code} · ${p.name}`} />
      <ProjectForm
        units={units}
        owners={owners}
        homeProvince={homeProvince}
        edit={{
          id: p.id,
          version: p.version,
          investor: { id: p.investor.id, name: p.investor.name, creditCode: p.investor.creditCode },
          showMilestones: STAGES.indexOf(p.stage) >= STAGES.indexOf("signed"),
        }}
        initial={{
          name: p.name,
          capitalType: p.capitalType,
          unitId: p.unitId,
          ownerId: p.ownerId ?? "",
          industry: p.industry,
          isEmerging: p.isEmerging,
          sourceChannel: p.sourceChannel,
          plannedAmount: p.plannedAmount,
          notes: p.notes ?? "",
          registeredOn: p.registeredOn ?? "",
          constructionOn: p.constructionOn ?? "",
          productionOn: p.productionOn ?? "",
        }}
      />
    </div>
  );
}
