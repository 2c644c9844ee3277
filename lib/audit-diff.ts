// What an audit entry changed, field by field, for people: the admin audit page and each project's
// history card read the same before/after snapshots (see server/audit/write-audit.ts) through this.
// Pure: no database, no React; the UI turns kinds into labels and formatted values.

/** How a field's value reads: an enum (translated by message key), money, a reference… */
export type TFieldKind =
  | { kind: "text" }
  | { kind: "money" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "bool" }
  | { kind: "user" }
  | { kind: "unit" }
  | { kind: "investor" }
  | { kind: "project" }
  /** `prefix`: the message keys of the values, e.g. "enums.stage" (enums.stage.signed → 签约) */
  | { kind: "enum"; prefix: string };

/** What the log is about, for the admin page's type filter (labels: audit.types.*). */
export const AUDIT_ENTITY_TYPES = ["project", "tranche", "evidence", "activity", "contact", "investor", "unit", "user", "target", "published_figures", "period_lock", "flag", "import", "saved_view", "installation"] as const;

/** The actions the services write (labels: audit.actions.*); unknown ones are shown as written. */
export const AUDIT_ACTIONS = [
  "project.create", "project.update", "project.move_stage", "project.delete", "project.reclassify_origin", "project.import",
  "tranche.report", "tranche.update", "tranche.verify", "tranche.reject", "tranche.withdraw", "tranche.import", "tranche.import_verified",
  "evidence.add",
  "activity.create", "activity.update", "activity.delete", "activity.complete_next_step",
  "contact.create", "contact.update", "contact.delete",
  "investor.create", "investor.update", "investor.import",
  "unit.create", "unit.update", "unit.import",
  "user.create", "user.update", "user.reset_password", "user.change_password", "user.sign_in", "user.sign_out", "user.set_locale",
  "target.set", "target.import",
  "figures.publish", "flag.review",
  "period.lock", "period.reopen",
  "import.units", "import.projects", "import.tranches", "import.targets",
  "view.save", "view.delete",
  "setting.update",
  "demo.seed",
] as const;

/** Fields that have a label (audit.fields.*); others show their key. */
export const LABELLED_FIELDS = [
  "code", "name", "investorId", "capitalType", "unitId", "ownerId", "industry", "isEmerging", "sourceChannel", "plannedAmount", "signedAmount",
  "signedOn", "stage", "status", "statusReason", "stageSince", "originClass", "registeredOn", "constructionOn", "productionOn", "notes",
  "lastActivityOn", "createdBy", "deletedAt", "projectId", "amount", "arrivedOn", "evidenceNo", "note", "reportedBy", "reportedAt",
  "verifiedBy", "verifiedAt", "rejectReason", "verifiedByImport", "filename", "mimeType", "size", "sha256", "trancheId", "title", "phone",
  "email", "ownerUnitId", "kind", "occurredOn", "summary", "participants", "nextStep", "nextDueOn", "nextDoneAt", "creditCode",
  "originRegion", "originCountry", "role", "locale", "disabledAt", "passwordChanged", "parentId", "year", "metric", "value", "updatedBy",
  "event", "fromStage", "toStage", "fromStatus", "toStatus", "businessDate", "recordedAt", "actorId", "reason", "hash", "uploadedBy",
  "key", "flagKey", "reviewedBy", "reviewedAt", "flag", "from", "to", "asOf", "definitionVersion", "periodStart", "periodEnd", "lockedBy",
  "reopenedBy", "reopenReason", "rows", "file", "seed", "projects", "tranches", "users", "query", "userId",
] as const;

// Bookkeeping, secrets and derived columns: never shown as a change.
const HIDDEN = new Set(["id", "version", "createdAt", "updatedAt", "nameNormalized", "path", "requestKey", "sessionVersion", "lastLoginAt", "passwordHash", "content"]);

const USER_FIELDS = new Set(["ownerId", "reportedBy", "verifiedBy", "createdBy", "uploadedBy", "updatedBy", "actorId", "reviewedBy", "lockedBy", "reopenedBy", "publishedBy"]);
const UNIT_FIELDS = new Set(["unitId", "ownerUnitId", "parentId"]);
const MONEY_FIELDS = new Set(["amount", "plannedAmount", "signedAmount", "value"]);
const DATE_FIELDS = new Set(["signedOn", "stageSince", "registeredOn", "constructionOn", "productionOn", "lastActivityOn", "arrivedOn", "businessDate", "occurredOn", "nextDueOn", "periodStart", "periodEnd"]);
const DATETIME_FIELDS = new Set(["reportedAt", "verifiedAt", "recordedAt", "deletedAt", "disabledAt", "uploadedAt", "nextDoneAt", "reviewedAt", "lockedAt", "reopenedAt", "publishedAt", "asOf"]);
const BOOL_FIELDS = new Set(["isEmerging", "verifiedByImport", "passwordChanged"]);
const ENUM_FIELDS: Record<string, string> = {
  stage: "stage",
  fromStage: "stage",
  toStage: "stage",
  fromStatus: "status",
  toStatus: "status",
  capitalType: "capitalType",
  originClass: "originClass",
  sourceChannel: "sourceChannel",
  industry: "industry",
  role: "role",
};

/** The last segment of a flattened key ("event.note" → "note"). */
export const baseField = (field: string) => field.slice(field.lastIndexOf(".") + 1);

export function fieldKind(entityType: string, field: string): TFieldKind {
  const f = baseField(field);
  if (f === "status") return { kind: "enum", prefix: entityType === "tranche" ? "enums.trancheStatus" : "enums.status" };
  if (f === "kind")
    return { kind: "enum", prefix: entityType === "unit" ? "enums.unitKind" : entityType === "activity" ? "enums.activityKind" : entityType === "period_lock" ? "locks.kinds" : "enums.kind" };
  if (f === "metric") return { kind: "enum", prefix: "audit.metrics" };
  if (ENUM_FIELDS[f]) return { kind: "enum", prefix: `enums.${ENUM_FIELDS[f]}` };
  if (USER_FIELDS.has(f)) return { kind: "user" };
  if (UNIT_FIELDS.has(f)) return { kind: "unit" };
  if (f === "investorId") return { kind: "investor" };
  if (f === "projectId") return { kind: "project" };
  if (MONEY_FIELDS.has(f)) return { kind: "money" };
  if (DATE_FIELDS.has(f)) return { kind: "date" };
  if (DATETIME_FIELDS.has(f)) return { kind: "datetime" };
  if (BOOL_FIELDS.has(f)) return { kind: "bool" };
  return { kind: "text" };
}

export type TChange = { field: string; before: unknown; after: unknown };

/** Names of the users, units, investors and projects the snapshots mention (by id), as the server resolved them. */
export type TAuditNames = { users: Record<string, string>; units: Record<string, string>; investors: Record<string, string>; projects: Record<string, string> };

type TSnapshot = Record<string, unknown> | null | undefined;
const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** One level of nesting flattened ("event" → "event.note", …); deeper values stay whole. */
function flatten(s: TSnapshot): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isPlainObject(s)) return out;
  for (const [k, v] of Object.entries(s)) {
    if (HIDDEN.has(k)) continue;
    if (isPlainObject(v)) {
      for (const [k2, v2] of Object.entries(v)) if (!HIDDEN.has(k2) && k2 !== "projectId") out.set(`${k}.${k2}`, v2);
    } else out.set(k, v);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields an entry changed. An update lists the fields whose value differs; a creation lists
 * the fields it set (non-empty); a removal lists what the object held.
 */
export function auditChanges(before: TSnapshot, after: TSnapshot): TChange[] {
  const b = flatten(before);
  const a = flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const out: TChange[] = [];
  for (const k of keys) {
    const bv = b.get(k) ?? null;
    const av = a.get(k) ?? null;
    if (!before && (av === null || av === "")) continue;
    if (!after && (bv === null || bv === "")) continue;
    if (before && after && same(bv, av)) continue;
    out.push({ field: k, before: before ? bv : undefined, after: after ? av : undefined });
  }
  return out;
}

/** Ids of users, units, investors and projects the snapshots mention, so their names can be shown. */
export function referencedIds(entries: Array<{ entityType: string; entityId?: string; before: unknown; after: unknown }>) {
  const ids = { users: new Set<string>(), units: new Set<string>(), investors: new Set<string>(), projects: new Set<string>() };
  for (const e of entries) {
    if (e.entityType === "project" && e.entityId && UUID_RE.test(e.entityId)) ids.projects.add(e.entityId);
    for (const s of [e.before, e.after]) {
      for (const [k, v] of flatten(s as TSnapshot)) {
        if (typeof v !== "string" || !UUID_RE.test(v)) continue;
        const kind = fieldKind(e.entityType, k).kind;
        if (kind === "user") ids.users.add(v);
        else if (kind === "unit") ids.units.add(v);
        else if (kind === "investor") ids.investors.add(v);
        else if (kind === "project") ids.projects.add(v);
      }
    }
  }
  return ids;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
