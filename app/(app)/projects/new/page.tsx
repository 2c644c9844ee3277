import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { ProjectForm } from "../_components/project-form";
import { projectFormOptions } from "../_components/form-options";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("new") };
}

export default async function NewProjectPage() {
  const { me, units, owners, homeProvince } = await projectFormOptions();
  if (!can(me.role, "project.write")) redirect("/projects");
  const t = await getTranslations();
  const defaultOwner = owners.find((o) => o.id === me.id)?.id ?? "";
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title={t("projects.new")} description={t("projectForm.newHint")} />
      <ProjectForm units={units} owners={owners} homeProvince={homeProvince} initial={{ unitId: me.unitId, ownerId: defaultOwner }} />
    </div>
  );
}
