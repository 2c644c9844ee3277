// An audit entry for people: its action and object type as words, and what it changed field by
// field with readable labels and values (enums translated, people and units by name, times in
// China time). Renders in server and client components alike (no hooks beyond next-intl).
import { useTranslations } from "next-intl";
import { auditChanges, baseField, fieldKind, type TAuditNames } from "@/lib/audit-diff";
import { DateTime } from "@/app/_components/domain";

export type TAuditEntryView = { entityType: string; entityId: string; action: string; before: unknown; after: unknown };

type T = ReturnType<typeof useTranslations>;

export function actionLabel(t: T, action: string) {
  return t.has(`audit.actions.${action}`) ? t(`audit.actions.${action}`) : action;
}

export function typeLabel(t: T, entityType: string) {
  return t.has(`audit.types.${entityType}`) ? t(`audit.types.${entityType}`) : entityType;
}

function fieldLabel(t: T, field: string) {
  return field
    .split(".")
    .map((p) => (t.has(`audit.fields.${p}`) ? t(`audit.fields.${p}`) : p))
    .join(" · ");
}

/** 1234567.8 → 1,234,567.8 without going through a float (amounts stay exact). */
function groupDigits(v: string) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(v);
  return m ? `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3] ?? ""}` : v;
}

const shortId = (id: string) => `${id.slice(0, 8)}…`;

function Value({ t, entityType, field, value, names }: { t: T; entityType: string; field: string; value: unknown; names: TAuditNames }) {
  if (value === null || value === undefined || value === "") return <span className="text-slate-400">—</span>;
  const k = fieldKind(entityType, field);
  const s = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : null;
  if (s === null) {
    const json = JSON.stringify(value);
    return <span className="font-mono text-xs break-all" title={json}>{json.length > 160 ? `${json.slice(0, 160)}…` : json}</span>;
  }
  switch (k.kind) {
    case "enum":
      return <>{t.has(`${k.prefix}.${s}`) ? t(`${k.prefix}.${s}`) : s}</>;
    case "money":
      return <span className="tabular">{groupDigits(s)}</span>;
    case "datetime":
      return Number.isNaN(Date.parse(s)) ? <>{s}</> : <DateTime value={s} />;
    case "bool":
      return <>{value === true || s === "true" ? t("common.yes") : t("common.no")}</>;
    case "user":
      return <span title={s}>{names.users[s] ?? shortId(s)}</span>;
    case "unit":
      return <span title={s}>{names.units[s] ?? t("audit.outsideScope")}</span>;
    case "investor":
      return <span title={s}>{names.investors[s] ?? shortId(s)}</span>;
    case "project":
      return <span title={s}>{names.projects[s] ?? shortId(s)}</span>;
    default:
      return <span className="break-words whitespace-pre-line">{s}</span>;
  }
}

/** The field-by-field changes of one entry: before → after for an update, the values for a creation or removal. */
export function AuditChanges({ entry, names, testId }: { entry: TAuditEntryView; names: TAuditNames; testId?: string }) {
  const t = useTranslations();
  const before = entry.before as Record<string, unknown> | null;
  const after = entry.after as Record<string, unknown> | null;
  const changes = auditChanges(before, after);
  if (!changes.length) return <p className="text-xs text-slate-500">{t("audit.noChanges")}</p>;
  const mode = !before ? "created" : !after ? "removed" : "updated";
  return (
    <div data-testid={testId}>
      {mode !== "updated" && <p className="mb-1 text-xs text-slate-500">{t(`audit.${mode}`)}</p>}
      <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 gap-y-1 text-xs">
        {changes.map((c) => (
          <div key={c.field} className="contents" data-field={baseField(c.field)}>
            <dt className="text-slate-500">{fieldLabel(t, c.field)}</dt>
            <dd className="min-w-0 text-slate-800">
              {mode === "updated" ? (
                <>
                  <span className="text-red-700 line-through decoration-red-300">
                    <Value t={t} entityType={entry.entityType} field={c.field} value={c.before} names={names} />
                  </span>
                  <span className="mx-1.5 text-slate-400">→</span>
                  <span className="text-emerald-800">
                    <Value t={t} entityType={entry.entityType} field={c.field} value={c.after} names={names} />
                  </span>
                </>
              ) : (
                <Value t={t} entityType={entry.entityType} field={c.field} value={mode === "created" ? c.after : c.before} names={names} />
              )}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** How many fields an entry changed (for a summary line). */
export const changeCount = (entry: Pick<TAuditEntryView, "before" | "after">) =>
  auditChanges(entry.before as Record<string, unknown> | null, entry.after as Record<string, unknown> | null).length;
