import { getTranslations } from "next-intl/server";
import { serverApi } from "@/app/_lib/trpc/server";
import { PageHeader } from "@/app/_components/ui/misc";
import { can } from "@/lib/permissions";
import { COLUMNS, IMPORT_KINDS, IMPORT_LIMITS } from "@/lib/import-columns";
import { ImportWizard } from "./import-wizard";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("import") };
}

export default async function ImportPage() {
  const me = (await (await serverApi()).me.get())!;
  const t = await getTranslations("import");
  const kinds = IMPORT_KINDS.filter((k) => can(me.role, `import.${k}`));
  return (
    <>
      <PageHeader title={t("title")} description={t("hint")} />
      <ImportWizard
        kinds={kinds}
        columns={Object.fromEntries(kinds.map((k) => [k, COLUMNS[k].map((c) => ({ key: c.key, zh: c.aliases[0]!, en: c.aliases[c.aliases.length - 1]!, required: !!c.required, amount: !!c.amount }))]))}
        limits={{ mb: IMPORT_LIMITS.maxBytes / 1024 / 1024, rows: IMPORT_LIMITS.maxRows, unzippedMb: IMPORT_LIMITS.maxUncompressedBytes / 1024 / 1024 }}
      />
    </>
  );
}
