// Import a units / projects / tranches / targets file: every row is read and validated first; the
// preview says what would be new, updated or unchanged, and lists errors by row and column; then
// — only when the whole file is valid — everything is written in ONE transaction (all or nothing).
// Keyed by code, so importing the same file again changes nothing. Every row updated is written
// with the version read while planning: a row changed by someone else meanwhile refuses the file.
import { and, asc, eq, inArray, isNull, like, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { pgErrorCode, queryRows } from "@/db/client";
import { investors, projects, stageEvents, targets, tranches, units, users } from "@/db/schema";
import { isValidCreditCode, normalizeCreditCode } from "@/lib/credit-code";
import { currencyOf, type TCapitalType, type TOriginClass, type TStage, type TStatus, type TTargetMetric, type TUnitKind } from "@/lib/domain";
import { todayCN } from "@/lib/dates";
import { systemNote } from "@/lib/event-note";
import { IMPORT_LIMITS } from "@/lib/import-columns";
import { dec } from "@/lib/money";
import { normalizeInvestorName } from "@/lib/normalize-name";
import { codesFromPath, deriveOriginClass } from "@/lib/origin-class";
import { checkStageMove, stageIndex } from "@/lib/stage-rules";
import type { TActor } from "@/server/auth/actor";
import { can } from "@/server/auth/permissions";
import { subtreePattern } from "@/server/auth/scope";
import { dbNow, writeAudit } from "@/server/audit/write-audit";
import { AppError, type TMessage } from "@/server/lib/errors";
import { textArray } from "@/server/lib/sql";
import { updateVersioned } from "@/server/lib/versioned-update";
import { ZProjectCode } from "@/server/projects/project-fields";
import { investorVisible } from "@/server/investors/investors";
import { assertUnlocked, findBindingLocks, lockMessage, projectFigureDates, type TLockTarget } from "@/server/locks/assert-unlocked";
import { eventFloors } from "@/server/projects/move-project-stage";
import { assertTargetsUnlocked, targetLockMessage, targetLockTarget } from "@/server/targets/targets";
import { applyMove, planMove } from "@/server/units/units";
import { COLUMNS, findHeaderRow, mapHeader, type TImportKind } from "./columns";
import { HEADER_SCAN, readTable, tooManyRows } from "./read-table";
import { unneutralize } from "@/server/exports/cells";
import {
  AMOUNT_UNITS, parseAmount, parseBool, parseCapitalType, parseDate, parseIndustry, parseMetric, parseOrigin,
  parseSourceChannel, parseStage, parseStatus,
} from "./values";

export type TImportError = { row: number; column: string | null; message: TMessage };
/** Progress of the phases; a reporter that returns a promise is awaited (backpressure). */
export type TImportProgress = (p: { phase: "read" | "validate" | "write"; done: number; total: number }) => void | Promise<void>;
export type TImportResult = {
  kind: TImportKind;
  encoding: string;
  sheet: string | null;
  sheets: string[];
  /** the spreadsheet row the header was found in (a title may sit above it) */
  headerRow: number;
  totalRows: number;
  counts: { new: number; updated: number; unchanged: number };
  errors: TImportError[];
  sample: Array<{ row: number; action: "new" | "updated"; key: string; changes: string[] }>;
  applied: boolean;
};

/** A figure the row would change, for the period lock: the column to blame, the unit(s), the dates. */
type TLockCheck = TLockTarget & { column: string };
type TPlanned = {
  row: number; action: "new" | "updated" | "unchanged"; key: string; changes: string[];
  apply?: (tx: Db, ctx: TApplyContext) => Promise<void>;
  locks?: TLockCheck[];
};
type TApplyContext = {
  investorIds: Map<string, string>; actor: TActor; now: Date;
  /** units whose version this import's own moves bumped (a subtree follows its unit): id → versions */
  bumped: Map<string, { from: number; to: number }>;
};
type TRowReader = { row: number; get: (key: string) => string; has: (key: string) => boolean; unit: (key: string) => string | null };
/** Called once per row while planning: reports progress now and then, and lets it reach the client. */
type TTick = () => Promise<void>;
type TPlanner = (db: Db, actor: TActor, rows: TRowReader[], label: (k: string) => string, tick: TTick) => Promise<{ planned: TPlanned[]; errors: TImportError[] }>;

const ACTIONS: Record<TImportKind, Parameters<typeof can>[1]> = {
  units: "import.units",
  projects: "import.projects",
  tranches: "import.tranches",
  targets: "import.targets",
};
const PROGRESS_ROWS = 500;
/** How a lock refuses a row: named as the page names it (a target's lock, for targets). */
const LOCK_RULES: Record<TImportKind, { message: typeof lockMessage; assert: typeof assertTargetsUnlocked }> = {
  units: { message: lockMessage, assert: assertUnlocked },
  projects: { message: lockMessage, assert: assertUnlocked },
  tranches: { message: lockMessage, assert: assertUnlocked },
  targets: { message: targetLockMessage, assert: assertTargetsUnlocked },
};

const err = (row: number, column: string | null, key: string, values?: Record<string, string | number>): TImportError => ({
  row,
  column,
  message: { key, values },
});

/** The row was changed (or removed) by someone else between this import's planning and its write. */
const changedSincePreview = () => new AppError("CONFLICT", { key: "errors.import.stale" });
const seen = <T>(write: Promise<T>): Promise<T> =>
  write.catch((e: unknown) => {
    throw e instanceof AppError && (e.code === "CONFLICT" || e.code === "NOT_FOUND") ? changedSincePreview() : e;
  });

function ticker(onProgress: TImportProgress | undefined, total: number): TTick {
  let done = 0;
  return async () => {
    done += 1;
    if (done % PROGRESS_ROWS !== 0) return;
    await onProgress?.({ phase: "validate", done, total });
    await new Promise((r) => setImmediate(r));
  };
}

export async function importFile(
  db: Db,
  actor: TActor,
  opts: { kind: TImportKind; bytes: Uint8Array; sheet?: string | null; dryRun: boolean; onProgress?: TImportProgress },
): Promise<TImportResult> {
  if (!can(actor.role, ACTIONS[opts.kind])) throw new AppError("FORBIDDEN", { key: "errors.forbidden" });
  const report = opts.onProgress;
  await report?.({ phase: "read", done: 0, total: 1 });
  const table = await readTable(opts.bytes, { sheet: opts.sheet, onProgress: (p) => void report?.({ phase: "read", ...p }) });
  const at = findHeaderRow(opts.kind, table.rows, HEADER_SCAN);
  const headerRow = table.rows[at]!;
  const dataRows = table.rows.slice(at + 1);
  if (dataRows.length > IMPORT_LIMITS.maxRows) throw tooManyRows();
  const header = mapHeader(opts.kind, headerRow.cells);
  const result: TImportResult = {
    kind: opts.kind,
    encoding: table.encoding,
    sheet: table.sheet,
    sheets: table.sheets,
    headerRow: headerRow.row,
    totalRows: dataRows.length,
    counts: { new: 0, updated: 0, unchanged: 0 },
    errors: header.problems.map((p) => ({ row: headerRow.row, column: p.column, message: p.message })),
    sample: [],
    applied: false,
  };
  if (result.errors.length) return result;
  const label = (key: string) => headerRow.cells[header.index[key]!] ?? key;
  const readers: TRowReader[] = dataRows.map((r) => ({
    row: r.row,
    get: (key) => (key in header.index ? unneutralize((r.cells[header.index[key]!] ?? "").trim()) : ""),
    has: (key) => key in header.index && (r.cells[header.index[key]!] ?? "").trim() !== "",
    unit: (key) => header.unit[key] ?? null,
  }));
  await report?.({ phase: "validate", done: 0, total: readers.length });
  const planners: Record<TImportKind, TPlanner> = { units: planUnits, projects: planProjects, tranches: planTranches, targets: planTargets };
  const { planned, errors } = await planners[opts.kind](db, actor, readers, label, ticker(report, readers.length));
  const lockRule = LOCK_RULES[opts.kind];
  result.errors.push(...errors, ...(await lockErrors(db, actor, planned, lockRule.message)));
  await report?.({ phase: "validate", done: readers.length, total: readers.length });
  result.errors.sort((a, b) => a.row - b.row);
  for (const p of planned) result.counts[p.action === "new" ? "new" : p.action === "updated" ? "updated" : "unchanged"]++;
  result.sample = planned
    .filter((p): p is TPlanned & { action: "new" | "updated" } => p.action !== "unchanged")
    .slice(0, 50)
    .map((p) => ({ row: p.row, action: p.action, key: p.key, changes: p.changes }));
  if (opts.dryRun || result.errors.length) return result;

  const todo = planned.filter((p) => p.apply);
  try {
    await db.transaction(async (tx) => {
      // the database's clock; stage events keep its exact instant by the column default (as-of.ts)
      const ctx: TApplyContext = { investorIds: new Map(), actor, now: await dbNow(tx), bumped: new Map() };
      // again inside the transaction, before the first write: a lock may have been set since the preview
      await lockRule.assert(tx, todo.flatMap((p) => p.locks ?? []), actor);
      let done = 0;
      for (const p of todo) {
        await p.apply!(tx, ctx);
        if (++done % PROGRESS_ROWS === 0) await report?.({ phase: "write", done, total: todo.length });
      }
      await writeAudit(tx, {
        actorId: actor.id,
        action: `import.${opts.kind}`,
        entityType: "import",
        entityId: `${opts.kind}:${new Date().toISOString()}`,
        unitId: actor.unitId,
        after: { rows: result.totalRows, ...result.counts, encoding: table.encoding, sheet: table.sheet },
      });
    });
  } catch (e) {
    // a code or credit code taken by someone else since the planning read
    if (pgErrorCode(e) === "23505") throw changedSincePreview();
    throw e;
  }
  await report?.({ phase: "write", done: todo.length, total: todo.length });
  result.applied = true;
  return result;
}

/** 统计期锁定: a row that would change a figure of a locked period is a row error, so nothing is written. */
async function lockErrors(db: Db, actor: TActor, planned: TPlanned[], message: typeof lockMessage): Promise<TImportError[]> {
  const checks = planned.flatMap((p) => (p.locks ?? []).map((c) => ({ row: p.row, check: c })));
  const found = await findBindingLocks(db, checks.map((c) => c.check));
  const errors: TImportError[] = [];
  const blamed = new Set<number>();
  checks.forEach((c, i) => {
    const lock = found[i];
    if (!lock || blamed.has(c.row)) return;
    blamed.add(c.row); // one lock error per row is enough to say why
    errors.push({ row: c.row, column: c.check.column, message: message(lock, actor) });
  });
  return errors;
}

/** Units of the actor's scope, by code and by name. */
async function scopeUnits(db: Db, actor: TActor) {
  const rows = await db.select().from(units).where(like(units.path, subtreePattern(actor.unitPath)));
  const byKey = new Map<string, (typeof rows)[number]>();
  for (const u of rows) {
    byKey.set(u.code, u);
    byKey.set(u.name, u);
  }
  return { rows, byKey };
}

function duplicateKeys<T>(items: Array<{ row: number; key: string; item: T }>, column: string) {
  const seenAt = new Map<string, number>();
  const errors: TImportError[] = [];
  for (const i of items) {
    const first = seenAt.get(i.key);
    if (first !== undefined) errors.push(err(i.row, column, "errors.import.duplicateRow", { first }));
    else seenAt.set(i.key, i.row);
  }
  return errors;
}

// ─── units ────────────────────────────────────────────────────────────────────────────────────

const KIND_WORDS: Array<[RegExp, TUnitKind]> = [
  [/(开发区|园区|新区|高新区|保税区|合作区)$/, "zone"],
  [/区$/, "district"],
  [/(县|旗|市)$/, "county"],
];

async function planUnits(db: Db, actor: TActor, rows: TRowReader[], label: (k: string) => string, tick: TTick) {
  const errors: TImportError[] = [];
  const planned: TPlanned[] = [];
  const existing = await db.select().from(units);
  const byCode = new Map(existing.map((u) => [u.code, u]));
  const fileCodes = new Map(rows.map((r) => [r.get("code"), r]));
  errors.push(...duplicateKeys(rows.map((r) => ({ row: r.row, key: r.get("code"), item: r })), label("code")));
  // parents first: a unit may name a parent defined further down the file
  const depth = (code: string, seenCodes = new Set<string>()): number => {
    const r = fileCodes.get(code);
    if (!r || seenCodes.has(code)) return 0;
    seenCodes.add(code);
    const parent = r.get("parent_code");
    return parent ? 1 + depth(parent, seenCodes) : 0;
  };
  const ordered = [...rows].sort((a, b) => depth(a.get("code")) - depth(b.get("code")));
  const byId = new Map(existing.map((u) => [u.id, u]));
  const parentOf = (code: string) => {
    const r = fileCodes.get(code);
    if (r) return r.get("parent_code") || null;
    const parentId = byCode.get(code)?.parentId;
    return parentId ? byId.get(parentId)!.code : null;
  };
  /** Where a unit will be once the file is applied (its parent as the file says, else as it is): null in a cycle, undefined when unknown. */
  const plannedPath = (code: string, seenCodes = new Set<string>()): string | null | undefined => {
    if (!fileCodes.has(code) && !byCode.has(code)) return undefined;
    if (seenCodes.has(code)) return null;
    seenCodes.add(code);
    const parent = parentOf(code);
    const up = parent ? plannedPath(parent, seenCodes) : "";
    return typeof up === "string" ? `${up}${code}/` : up;
  };
  for (const r of ordered) {
    await tick();
    const code = r.get("code");
    const name = r.get("name");
    const parentCode = r.get("parent_code") || null;
    if (!/^[0-9A-Za-z-]{2,20}$/.test(code)) errors.push(err(r.row, label("code"), "errors.unit.codeFormat"));
    if (name.length < 2 || name.length > 60) errors.push(err(r.row, label("name"), "errors.import.required"));
    const current = byCode.get(code);
    if (current && !current.path.startsWith(actor.unitPath)) {
      errors.push(err(r.row, label("code"), "errors.unit.codeTaken"));
      continue;
    }
    const parentPath = parentCode ? plannedPath(parentCode) : "";
    if (parentPath === null) {
      errors.push(err(r.row, label("parent_code"), "errors.unit.cycle"));
      continue;
    }
    // a parent outside the scope answers exactly like one that does not exist
    if (parentCode && (parentPath === undefined || !parentPath.startsWith(actor.unitPath))) {
      errors.push(err(r.row, label("parent_code"), "errors.import.unitScope", { unit: parentCode }));
      continue;
    }
    if (!parentCode && !(current && !current.parentId) && existing.some((u) => !u.parentId)) {
      errors.push(err(r.row, label("parent_code"), "errors.unit.parentRequired"));
      continue;
    }
    const nameOwner = existing.find((u) => u.name === name && u.code !== code);
    if (nameOwner) errors.push(err(r.row, label("name"), "errors.unit.nameTaken"));
    const explicitKind = r.get("kind");
    const kind: TUnitKind = (["province", "city", "county", "district", "zone"] as const).find((k) => k === explicitKind) ??
      (!parentCode ? "province" : parentPath!.split("/").length === 2 ? "city" : (KIND_WORDS.find(([re]) => re.test(name))?.[1] ?? "zone"));
    const path = `${parentPath ?? ""}${code}/`;
    if (!current) {
      planned.push({
        row: r.row, action: "new", key: code, changes: [name],
        apply: async (tx) => {
          const parent = await liveParent(tx, parentCode);
          const [u] = await tx.insert(units).values({ code, name, kind, parentId: parent?.id ?? null, path: `${parent?.path ?? ""}${code}/` }).returning();
          await writeAudit(tx, { actorId: actor.id, action: "unit.import", entityType: "unit", entityId: u!.id, unitId: u!.id, after: u });
        },
      });
      continue;
    }
    // the row's own change: its parent (a unit moved above it in the same file moves it along, not the row)
    const parent = parentCode ? byCode.get(parentCode) : undefined;
    const moves = (current.parentId ?? null) !== (parentCode ? (parent?.id ?? "new in this file") : null);
    const changes = [current.name !== name && `name: ${current.name} → ${name}`, moves && `parent: → ${parentCode ?? "—"}`].filter((x): x is string => !!x);
    if (!changes.length) {
      planned.push({ row: r.row, action: "unchanged", key: code, changes });
      continue;
    }
    // a parent new in this file has no figures nor locks of its own: its nearest existing ancestor stands for it
    const anchor = path.split("/").slice(0, -2).reverse().map((c) => byCode.get(c)).find((u) => u)?.id ?? null;
    const locks = moves ? (await planMove(db, current, anchor, path)).guard.map((g) => ({ ...g, column: label("parent_code") })) : [];
    planned.push({
      row: r.row, action: "updated", key: code, changes, locks,
      // moved as on the page, from the tree as it stands at this point of the transaction
      apply: async (tx, ctx) => {
        const [live] = await tx.select().from(units).where(eq(units.id, current.id));
        const parentNow = await liveParent(tx, parentCode);
        if (!live || parentNow?.path.startsWith(live.path)) throw changedSincePreview();
        const livePath = `${parentNow?.path ?? ""}${code}/`;
        const move = livePath !== live.path ? await planMove(tx, live, parentNow?.id ?? null, livePath) : null;
        if (move) await assertUnlocked(tx, move.guard, actor);
        const u = await seen(updateVersioned(tx, units, current.id, unitVersion(ctx, current), { name, parentId: parentNow?.id ?? null, path: livePath }));
        await writeAudit(tx, { actorId: actor.id, action: "unit.import", entityType: "unit", entityId: current.id, unitId: current.id, before: live, after: u });
        if (move) noteBumped(ctx, await applyMove(tx, actor, move));
      },
    });
  }
  // applied parents first (the order computed above), not in file order
  return { planned, errors };
}

async function liveParent(tx: Db, parentCode: string | null) {
  if (!parentCode) return null;
  const [parent] = await tx.select().from(units).where(eq(units.code, parentCode));
  if (!parent) throw changedSincePreview();
  return parent;
}

/** The version a unit planned at `u.version` must have now: bumped by this import's own moves only, else unchanged. */
function unitVersion(ctx: TApplyContext, u: { id: string; version: number }) {
  const b = ctx.bumped.get(u.id);
  return b && b.from === u.version ? b.to : u.version;
}

function noteBumped(ctx: TApplyContext, rows: Array<{ id: string; version: number }>) {
  for (const r of rows) {
    const b = ctx.bumped.get(r.id);
    ctx.bumped.set(r.id, { from: b && b.to === r.version - 1 ? b.from : r.version - 1, to: r.version });
  }
}

// ─── projects ─────────────────────────────────────────────────────────────────────────────────

type TProjectRow = {
  code: string; name: string; capitalType: TCapitalType; unit: typeof units.$inferSelect; investor: string; creditCode: string | null;
  origin: { region: string | null; country: string | null }; industry: string; sourceChannel: string; planned: string;
  stage: TStage; status: TStatus; statusReason: string | null; contactDate: string; negotiationDate: string | null;
  signedDate: string | null; signedAmount: string | null; ownerId: string | null; notes: string | null;
  /** the investor the row names, when it is already registered; else it is created on import */
  investorId: string | null;
  originClass: TOriginClass;
};

function amountIn(r: TRowReader, key: string, currency: "CNY" | "USD", label: (k: string) => string, errors: TImportError[]): string | null {
  if (!r.has(key)) return null;
  const unit = r.unit(key);
  const u = unit ? AMOUNT_UNITS[unit] : null;
  if (u && u.currency && u.currency !== currency) {
    errors.push(err(r.row, label(key), "errors.import.currencyMismatch", { unit: unit!, currency }));
    return null;
  }
  const a = parseAmount(r.get(key), u?.scale ?? 1);
  if ("error" in a) {
    errors.push(err(r.row, label(key), a.error, { value: r.get(key) }));
    return null;
  }
  return a.value;
}

function dateIn(r: TRowReader, key: string, label: (k: string) => string, errors: TImportError[], today: string): string | null {
  if (!r.has(key)) return null;
  const d = parseDate(r.get(key));
  if (!d) errors.push(err(r.row, label(key), "errors.import.date", { value: r.get(key) }));
  else if (d > today) errors.push(err(r.row, label(key), "errors.date.future"));
  return d;
}

type TInvestorRef = { id: string; name: string; nameNormalized: string; creditCode: string | null; originRegion: string | null; originCountry: string | null };

/**
 * The registered investors the file's rows may name, found the way entry finds duplicates: by
 * credit code (investors are legal entities shared by every bureau), else by normalised name
 * among the investors the importer can see.
 */
async function investorLookup(db: Db, actor: TActor, rows: TRowReader[], currentIds: string[]) {
  const cols = { id: investors.id, name: investors.name, nameNormalized: investors.nameNormalized, creditCode: investors.creditCode, originRegion: investors.originRegion, originCountry: investors.originCountry };
  const codes = [...new Set(rows.map((r) => normalizeCreditCode(r.get("credit_code"))).filter((c) => c && isValidCreditCode(c)))];
  const names = [...new Set(rows.map((r) => normalizeInvestorName(r.get("investor"))).filter(Boolean))];
  const [byCode, byName, current] = await Promise.all([
    codes.length ? db.select(cols).from(investors).where(inArray(investors.creditCode, codes)) : [],
    names.length ? db.select(cols).from(investors).where(and(inArray(investors.nameNormalized, names), investorVisible(actor))).orderBy(asc(investors.createdAt)) : [],
    currentIds.length ? db.select(cols).from(investors).where(inArray(investors.id, [...new Set(currentIds)])) : [],
  ]);
  const codeMap = new Map(byCode.map((i) => [i.creditCode!, i]));
  const nameMap = new Map<string, TInvestorRef>();
  for (const i of byName) if (!nameMap.has(i.nameNormalized)) nameMap.set(i.nameNormalized, i);
  return {
    byId: new Map([...current, ...byCode, ...byName].map((i) => [i.id, i])),
    match(name: string, creditCode: string | null): TInvestorRef | null {
      const byN = nameMap.get(normalizeInvestorName(name));
      if (!creditCode) return byN ?? null;
      // a credit code not registered yet: the same-named investor recorded without one
      return codeMap.get(creditCode) ?? (byN && !byN.creditCode ? byN : null);
    },
  };
}

/** The dates the stage history records: first contact, and when negotiation began. */
async function recordedDates(db: Db, projectIds: string[]) {
  if (!projectIds.length) return new Map<string, { contact: string; negotiation: string | null }>();
  const rows = await db
    .select({
      projectId: stageEvents.projectId,
      contact: sql<string>`min(${stageEvents.businessDate})::text`,
      negotiation: sql<string | null>`(min(${stageEvents.businessDate}) filter (where ${stageEvents.toStage} = 'negotiation'))::text`,
    })
    .from(stageEvents)
    .where(inArray(stageEvents.projectId, projectIds))
    .groupBy(stageEvents.projectId);
  return new Map(rows.map((r) => [r.projectId, { contact: r.contact, negotiation: r.negotiation }]));
}

async function planProjects(db: Db, actor: TActor, rows: TRowReader[], label: (k: string) => string, tick: TTick) {
  const errors: TImportError[] = [];
  const planned: TPlanned[] = [];
  const today = todayCN();
  const { rows: scoped, byKey: unitByKey } = await scopeUnits(db, actor);
  const cities = (await db.select({ code: units.code, name: units.name }).from(units).where(eq(units.kind, "city")));
  const codes = rows.map((r) => r.get("code").toUpperCase()).filter(Boolean);
  // deleted projects too: their codes stay taken
  const existing = codes.length ? await db.select().from(projects).where(inArray(projects.code, codes)) : [];
  const existingByCode = new Map(existing.map((p) => [p.code, p]));
  const live = existing.filter((p) => !p.deletedAt && scoped.some((u) => u.id === p.unitId));
  const owners = await db
    .select({ id: users.id, email: users.email, path: units.path, disabledAt: users.disabledAt })
    .from(users)
    .innerJoin(units, eq(units.id, users.unitId))
    .where(like(units.path, subtreePattern(actor.unitPath)));
  const liveIds = live.map((p) => p.id);
  const [trancheCounts, figureDates, history, investorsOf, floors] = await Promise.all([
    liveIds.length
      ? db.select({ projectId: tranches.projectId, n: sql<number>`count(*)::int` }).from(tranches).where(inArray(tranches.projectId, liveIds)).groupBy(tranches.projectId)
      : [],
    projectFigureDates(db, liveIds),
    recordedDates(db, liveIds),
    investorLookup(db, actor, rows, live.map((p) => p.investorId)),
    eventFloors(db, live),
  ]);
  errors.push(...duplicateKeys(rows.map((r) => ({ row: r.row, key: r.get("code").toUpperCase(), item: r })), label("code")));

  for (const r of rows) {
    await tick();
    const before = errors.length;
    const code = ZProjectCode.safeParse(r.get("code"));
    if (!code.success) errors.push(err(r.row, label("code"), "errors.project.codeFormat"));
    const name = r.get("name");
    if (name.length < 2 || name.length > 100) errors.push(err(r.row, label("name"), "errors.project.nameRequired"));
    const capitalType = parseCapitalType(r.get("capital_type"));
    if (!capitalType) errors.push(err(r.row, label("capital_type"), "errors.import.enum", { value: r.get("capital_type") }));
    const unit = unitByKey.get(r.get("unit"));
    if (!unit) errors.push(err(r.row, label("unit"), "errors.import.unitScope", { unit: r.get("unit") }));
    const investor = r.get("investor");
    if (investor.length < 2) errors.push(err(r.row, label("investor"), "errors.investor.nameRequired"));
    const creditCode = r.has("credit_code") ? normalizeCreditCode(r.get("credit_code")) : null;
    if (creditCode && !isValidCreditCode(creditCode)) errors.push(err(r.row, label("credit_code"), "errors.investor.creditCode"));
    const origin = parseOrigin(r.get("investor_origin"), cities);
    if (!origin) errors.push(err(r.row, label("investor_origin"), "errors.import.origin", { value: r.get("investor_origin") }));
    const industry = r.has("industry") ? parseIndustry(r.get("industry")) : "other";
    if (!industry) errors.push(err(r.row, label("industry"), "errors.import.enum", { value: r.get("industry") }));
    const sourceChannel = r.has("source_channel") ? parseSourceChannel(r.get("source_channel")) : "other";
    if (!sourceChannel) errors.push(err(r.row, label("source_channel"), "errors.import.enum", { value: r.get("source_channel") }));
    const currency = currencyOf(capitalType ?? "domestic");
    const planned_ = amountIn(r, "planned_amount", currency, label, errors);
    if (!r.has("planned_amount")) errors.push(err(r.row, label("planned_amount"), "errors.import.required"));
    else if (planned_ !== null && dec(planned_).isZero()) errors.push(err(r.row, label("planned_amount"), "errors.amount.positive"));
    const stageRaw = r.has("stage") ? parseStage(r.get("stage")) : "contact";
    if (!stageRaw) errors.push(err(r.row, label("stage"), "errors.import.enum", { value: r.get("stage") }));
    // 资金到位 is reached by a tranche: a project listed in that stage is recorded as signed, and its
    // funds tranches (imported next) move it on
    const stage: TStage = stageRaw === "funds" ? "signed" : (stageRaw ?? "contact");
    const status = r.has("status") ? parseStatus(r.get("status")) : "active";
    if (!status) errors.push(err(r.row, label("status"), "errors.import.enum", { value: r.get("status") }));
    const statusReason = r.get("status_reason") || null;
    if (status === "lost" && !statusReason) errors.push(err(r.row, label("status"), "errors.stage.reasonRequired"));
    const negotiationDate = dateIn(r, "negotiation_date", label, errors, today);
    const signedDate = dateIn(r, "signed_date", label, errors, today);
    const contactDate = dateIn(r, "contact_date", label, errors, today) ?? [negotiationDate, signedDate].filter((x): x is string => !!x).sort()[0] ?? today;
    const signedAmount = amountIn(r, "signed_amount", currency, label, errors);
    if (stageIndex(stage) >= stageIndex("signed")) {
      // an unreadable date was reported already: one problem, one error
      if (!signedDate && !r.has("signed_date")) errors.push(err(r.row, label("signed_date"), "errors.import.signedNeedsDate"));
      if (!signedAmount || dec(signedAmount).isZero()) errors.push(err(r.row, label("signed_amount"), "errors.stage.signedAmountRequired"));
    }
    // contact ≤ negotiation ≤ signing, for every date the row gives (a bad or future one is reported already)
    let earlier: { key: string; on: string } | null = null;
    for (const [key, on] of [["contact_date", contactDate], ["negotiation_date", negotiationDate], ["signed_date", signedDate]] as const) {
      if (!on || on > today) continue;
      if (earlier && on < earlier.on) {
        errors.push(err(r.row, label(key), "errors.import.dateOrder", { other: label(earlier.key), date: earlier.on }));
        break;
      }
      earlier = { key, on };
    }
    let ownerId: string | null = null;
    if (r.has("owner_email")) {
      const o = owners.find((x) => x.email === r.get("owner_email").toLowerCase());
      if (!o || o.disabledAt || (unit && !unit.path.startsWith(o.path))) errors.push(err(r.row, label("owner_email"), "errors.project.owner"));
      else ownerId = o.id;
    }
    const current = code.success ? existingByCode.get(code.data) : undefined;
    const inScope = !!current && scoped.some((u) => u.id === current.unitId);
    // a deleted project's code is not free, and its hidden row is not edited silently
    if (current && inScope && current.deletedAt) errors.push(err(r.row, label("code"), "errors.import.codeDeleted", { code: current.code }));
    else if (current && !inScope) errors.push(err(r.row, label("code"), "errors.project.codeTaken"));
    // an investor already registered keeps its origin: a sheet that says otherwise would make the
    // out-of-province figures disagree with it (the origin is changed on the investor's page)
    const registered = investor.length >= 2 ? investorsOf.match(investor, creditCode) : null;
    if (registered && origin && r.has("investor_origin") && (registered.originRegion !== origin.region || registered.originCountry !== origin.country))
      errors.push(err(r.row, label("investor_origin"), "errors.import.investorOrigin", { investor }));
    if (errors.length > before || !code.success || !capitalType || !unit || !origin || !status) continue;

    const originClass = deriveOriginClass({ capitalType, originRegion: registered ? registered.originRegion : origin.region, ...codesFromPath(unit.path) });
    const data: TProjectRow = {
      code: code.data, name, capitalType, unit, investor, creditCode, origin, industry: industry!, sourceChannel: sourceChannel!, planned: planned_!,
      stage, status, statusReason: status === "active" ? null : statusReason, contactDate, negotiationDate, signedDate, signedAmount, ownerId, notes: r.get("notes") || null,
      investorId: registered?.id ?? null, originClass,
    };
    if (!current) {
      // its stage events, each dated in its period
      const signed = stageIndex(stage) >= stageIndex("signed");
      const locks: TLockCheck[] = [
        { column: label("contact_date"), unitId: unit.id, dates: [contactDate] },
        { column: label("negotiation_date"), unitId: unit.id, dates: [stageIndex(stage) >= 1 ? negotiationDate : null] },
        { column: label("signed_date"), unitId: unit.id, dates: [signed ? signedDate : null] },
      ];
      planned.push({ row: r.row, action: "new", key: data.code, changes: [name], apply: (tx, ctx) => createImportedProject(tx, ctx, data), locks });
      continue;
    }
    // the stage history is not rewritten by an import: a sheet whose dates disagree with it is refused
    const recorded = history.get(current.id);
    if (recorded && r.has("contact_date") && contactDate !== recorded.contact) {
      errors.push(err(r.row, label("contact_date"), "errors.import.historyDate", { recorded: recorded.contact }));
      continue;
    }
    if (recorded?.negotiation && negotiationDate && negotiationDate !== recorded.negotiation) {
      errors.push(err(r.row, label("negotiation_date"), "errors.import.historyDate", { recorded: recorded.negotiation }));
      continue;
    }
    // an existing project: compare field by field
    const changes: string[] = [];
    const set: Partial<typeof projects.$inferInsert> = {};
    const diff = <K extends keyof typeof projects.$inferInsert>(k: K, v: (typeof projects.$inferInsert)[K], eq_ = (a: unknown, b: unknown) => a === b) => {
      if (!eq_(current[k as keyof typeof current], v)) {
        changes.push(`${String(k)}: ${String(current[k as keyof typeof current] ?? "—")} → ${String(v ?? "—")}`);
        set[k] = v;
      }
    };
    const money = (a: unknown, b: unknown) => (a === null || b === null ? a === b : dec(String(a)).eq(String(b)));
    diff("name", name);
    diff("unitId", unit.id);
    diff("industry", data.industry);
    diff("sourceChannel", data.sourceChannel as never);
    diff("plannedAmount", data.planned, money);
    if (r.has("owner_email")) diff("ownerId", ownerId);
    if (r.has("notes")) diff("notes", data.notes);
    if (capitalType !== current.capitalType) {
      if (trancheCounts.some((t) => t.projectId === current.id && t.n > 0)) {
        errors.push(err(r.row, label("capital_type"), "errors.project.capitalTypeHasTranches"));
        continue;
      }
      diff("capitalType", capitalType);
    }
    // another investor (or a new one): the project is re-linked, its origin class follows
    const relink = registered?.id !== current.investorId;
    if (relink) changes.push(`investor: ${investorsOf.byId.get(current.investorId)?.name ?? "—"} → ${investor}`);
    diff("originClass", originClass);
    const fileStage = stage;
    const dbStage = current.stage === "funds" && fileStage === "signed" ? "signed" : current.stage;
    const stageMove = fileStage !== dbStage || status !== current.status;
    if (stageIndex(fileStage) < stageIndex(dbStage)) {
      errors.push(err(r.row, label("stage"), "errors.import.backward"));
      continue;
    }
    if (stageIndex(fileStage) >= stageIndex("signed") && current.signedOn) {
      diff("signedAmount", signedAmount, money);
      diff("signedOn", signedDate);
    }
    // the reason of a status that stays (暂缓/终止) may be corrected
    if (status === current.status && status !== "active" && r.has("status_reason")) diff("statusReason", statusReason);
    if (stageMove) changes.push(`stage: ${current.stage}/${current.status} → ${fileStage}/${status}`);
    if (!changes.length) {
      planned.push({ row: r.row, action: "unchanged", key: data.code, changes });
      continue;
    }
    // what the update would change in some period (the same events updateImportedProject writes)
    const unitIds = [current.unitId, unit.id];
    const locks: TLockCheck[] = [];
    if (set.unitId || set.capitalType || set.originClass)
      locks.push({ column: label(set.unitId ? "unit" : set.capitalType ? "capital_type" : r.has("investor_origin") ? "investor_origin" : "investor"), unitId: unitIds, dates: figureDates.get(current.id)! });
    if ("signedOn" in set || "signedAmount" in set) locks.push({ column: label("signed_date"), unitId: unitIds, dates: [current.signedOn, signedDate] });
    if (stageMove) {
      const enters = current.stage !== stage && !(current.stage === "funds" && stage === "signed");
      const entersOn = stage === "signed" ? signedDate : (negotiationDate ?? today);
      const column = label(!enters ? "status" : stage === "signed" ? "signed_date" : negotiationDate ? "negotiation_date" : "stage");
      // the event is dated as on the page: not before the project's latest event
      const notBefore = floors.get(current.id) ?? null;
      const problem = checkStageMove({
        from: { stage: current.stage, status: current.status }, to: { stage, status }, businessDate: enters && entersOn ? entersOn : today, today, notBefore,
      }).businessDate;
      if (problem) {
        errors.push(err(r.row, column, problem, problem === "errors.stage.beforeLastEvent" ? { date: notBefore! } : undefined));
        continue;
      }
      if (enters) locks.push({ column: label(stage === "signed" ? "signed_date" : "stage"), unitId: unitIds, dates: [entersOn] });
      if (status !== current.status && !enters) locks.push({ column: label("status"), unitId: unitIds, dates: [today] });
    }
    planned.push({
      row: r.row, action: "updated", key: data.code, changes,
      apply: (tx, ctx) => updateImportedProject(tx, ctx, current, data, set, { stageMove, relink }),
      locks,
    });
  }
  return { planned, errors };
}

/** The investor a row names: the registered one found while planning, else created (once per file). */
async function investorFor(tx: Db, ctx: TApplyContext, d: TProjectRow): Promise<string> {
  if (d.investorId) return d.investorId;
  const norm = normalizeInvestorName(d.investor);
  const key = d.creditCode ?? `name:${norm}`;
  const cached = ctx.investorIds.get(key);
  if (cached) return cached;
  const [row] = await tx
    .insert(investors)
    .values({ name: d.investor, nameNormalized: norm, creditCode: d.creditCode, originRegion: d.origin.region, originCountry: d.origin.country, ownerUnitId: d.unit.id, createdBy: ctx.actor.id })
    .returning();
  await writeAudit(tx, { actorId: ctx.actor.id, action: "investor.import", entityType: "investor", entityId: row!.id, unitId: d.unit.id, after: row });
  ctx.investorIds.set(key, row!.id);
  return row!.id;
}

const IMPORT_NOTE = systemNote("import.eventNote");

async function createImportedProject(tx: Db, ctx: TApplyContext, d: TProjectRow) {
  const investorId = await investorFor(tx, ctx, d);
  const signed = stageIndex(d.stage) >= stageIndex("signed");
  const since = signed ? d.signedDate! : d.stage === "negotiation" ? (d.negotiationDate ?? d.contactDate) : d.contactDate;
  const [p] = await tx
    .insert(projects)
    .values({
      code: d.code, name: d.name, investorId, capitalType: d.capitalType, unitId: d.unit.id, ownerId: d.ownerId,
      industry: d.industry, sourceChannel: d.sourceChannel as never, plannedAmount: d.planned,
      signedAmount: signed ? d.signedAmount : null, signedOn: signed ? d.signedDate : null,
      stage: d.stage, status: d.status, statusReason: d.statusReason, stageSince: since, originClass: d.originClass, notes: d.notes, createdBy: ctx.actor.id,
    })
    .returning();
  // the history the sheet records: first contact, then each later stage on its date
  const base = { projectId: p!.id, actorId: ctx.actor.id, note: IMPORT_NOTE };
  const events: (typeof stageEvents.$inferInsert)[] = [{ ...base, toStage: "contact", toStatus: "active", businessDate: d.contactDate }];
  let prev: TStage = "contact";
  if (stageIndex(d.stage) >= 1 && d.negotiationDate) {
    events.push({ ...base, fromStage: prev, toStage: "negotiation", fromStatus: "active", toStatus: "active", businessDate: d.negotiationDate });
    prev = "negotiation";
  }
  if (d.stage !== prev && d.stage !== "contact")
    events.push({
      ...base, fromStage: prev, toStage: d.stage, fromStatus: "active", toStatus: "active",
      businessDate: signed ? d.signedDate! : (d.negotiationDate ?? d.contactDate), signedAmount: signed ? d.signedAmount : null,
    });
  if (d.status !== "active")
    events.push({ ...base, fromStage: d.stage, toStage: d.stage, fromStatus: "active", toStatus: d.status, businessDate: since, reason: d.statusReason });
  await tx.insert(stageEvents).values(events);
  await writeAudit(tx, { actorId: ctx.actor.id, action: "project.import", entityType: "project", entityId: p!.id, unitId: d.unit.id, after: p });
}

async function updateImportedProject(
  tx: Db, ctx: TApplyContext, current: typeof projects.$inferSelect, d: TProjectRow, set: Partial<typeof projects.$inferInsert>,
  opts: { stageMove: boolean; relink: boolean },
) {
  const patch: Partial<typeof projects.$inferInsert> = { ...set };
  if (opts.relink) patch.investorId = await investorFor(tx, ctx, d);
  const base = { projectId: current.id, actorId: ctx.actor.id, note: IMPORT_NOTE };
  const events: (typeof stageEvents.$inferInsert)[] = [];
  let enters = false;
  if (opts.stageMove) {
    enters = current.stage !== d.stage && !(current.stage === "funds" && d.stage === "signed");
    if (enters) {
      const signing = d.stage === "signed";
      const date = signing ? d.signedDate! : (d.negotiationDate ?? todayCN(ctx.now));
      events.push({
        ...base, fromStage: current.stage, toStage: d.stage, fromStatus: current.status, toStatus: d.status,
        businessDate: date, signedAmount: signing ? d.signedAmount : null,
      });
      Object.assign(patch, { stage: d.stage, stageSince: date }, signing ? { signedOn: d.signedDate, signedAmount: d.signedAmount } : {});
    }
  }
  // a corrected signing date or amount is an event of its own: the figures read signings from
  // the stage events, so the correction is seen there (and as of any later moment)
  if (!enters && ("signedOn" in set || "signedAmount" in set))
    events.push({
      ...base, note: systemNote("import.signingCorrectedNote"), fromStage: current.stage, toStage: current.stage, fromStatus: current.status, toStatus: current.status,
      businessDate: set.signedOn ?? current.signedOn!, signedAmount: set.signedAmount ?? current.signedAmount,
    });
  if (opts.stageMove && d.status !== current.status) {
    if (!enters)
      events.push({ ...base, fromStage: current.stage, toStage: current.stage, fromStatus: current.status, toStatus: d.status, businessDate: todayCN(ctx.now), reason: d.statusReason });
    Object.assign(patch, { status: d.status, statusReason: d.statusReason });
  }
  const after = await seen(updateVersioned(tx, projects, current.id, current.version, patch));
  if (events.length) await tx.insert(stageEvents).values(events);
  await writeAudit(tx, { actorId: ctx.actor.id, action: "project.import", entityType: "project", entityId: current.id, unitId: after.unitId, before: current, after });
}

// ─── tranches ─────────────────────────────────────────────────────────────────────────────────

async function planTranches(db: Db, actor: TActor, rows: TRowReader[], label: (k: string) => string, tick: TTick) {
  const errors: TImportError[] = [];
  const planned: TPlanned[] = [];
  const today = todayCN();
  const codes = [...new Set(rows.map((r) => r.get("project_code").toUpperCase()).filter(Boolean))];
  const found = codes.length
    ? await db
        .select({ p: projects })
        .from(projects)
        .where(and(inArray(projects.code, codes), isNull(projects.deletedAt), sql`${projects.unitId} in (select ${units.id} from ${units} where ${units.path} like ${subtreePattern(actor.unitPath)})`))
    : [];
  const byCode = new Map(found.map((f) => [f.p.code, f.p]));
  // keyed by evidence number across all projects, or by project + date + amount where it is blank
  // evidence numbers compare as the duplicate-evidence flag compares them (tranches.evidence_key:
  // trimmed, NFKC, lower case), through its index
  const evidenceNos = [...new Set(rows.map(evidenceOf).filter((x): x is string => !!x))];
  // the database's own tranche_evidence_key() (migration 0009), so both sides normalise alike
  const keyOf = new Map(
    evidenceNos.length
      ? (await queryRows<{ v: string; k: string | null }>(db, sql`select v, tranche_evidence_key(v) as k from unnest(${textArray(evidenceNos)}) v`)).map((x) => [x.v, x.k])
      : [],
  );
  const evidenceKeyOf = (evidenceNo: string | null) => (evidenceNo && keyOf.get(evidenceNo)) || null;
  const evidenceKeys = [...new Set([...keyOf.values()].filter((x): x is string => !!x))];
  const [ofProjects, withEvidence] = await Promise.all([
    found.length ? db.select().from(tranches).where(inArray(tranches.projectId, found.map((f) => f.p.id))) : [],
    evidenceKeys.length
      ? db
          .select({ t: tranches, projectDeleted: sql<boolean>`${projects.deletedAt} is not null` })
          .from(tranches)
          .innerJoin(projects, eq(projects.id, tranches.projectId))
          .where(inArray(tranches.evidenceKey, evidenceKeys))
      : [],
  ]);
  const byEvidence = groupBy(withEvidence, (x) => x.t.evidenceKey!);
  const pda = (projectId: string, arrivedOn: string, amount: string) => `${projectId}|${arrivedOn}|${dec(amount).toFixed(2)}`;
  const byPda = groupBy(ofProjects, (t) => pda(t.projectId, t.arrivedOn, t.amount));
  const canVerify = can(actor.role, "tranche.verify");
  // the CLI without --as acts as the installation: nobody could be named as the verifier
  const isSystem = !actor.id;
  const seenEvidence = new Map<string, number>();
  const seenPda = new Map<string, { row: number; blank: boolean }>();
  const claimed = new Map<string, number>();
  const firstTrancheOf = new Set<string>();

  for (const r of rows) {
    await tick();
    const before = errors.length;
    const project = byCode.get(r.get("project_code").toUpperCase());
    if (!project) {
      errors.push(err(r.row, label("project_code"), "errors.import.projectScope", { code: r.get("project_code") }));
      continue;
    }
    const arrivedOn = dateIn(r, "arrived_on", label, errors, today);
    if (!r.has("arrived_on")) errors.push(err(r.row, label("arrived_on"), "errors.import.required"));
    const amount = amountIn(r, "amount", currencyOf(project.capitalType), label, errors);
    if (!r.has("amount")) errors.push(err(r.row, label("amount"), "errors.import.required"));
    else if (amount && dec(amount).isZero()) errors.push(err(r.row, label("amount"), "errors.amount.positive"));
    const verified = r.has("verified") ? parseBool(r.get("verified")) : false;
    if (verified === null) errors.push(err(r.row, label("verified"), "errors.import.bool", { value: r.get("verified") }));
    if (verified && isSystem) errors.push(err(r.row, label("verified"), "errors.import.verifySystem"));
    else if (verified && !canVerify) errors.push(err(r.row, label("verified"), "errors.import.verifyRole"));
    if (stageIndex(project.stage) < stageIndex("signed")) errors.push(err(r.row, label("project_code"), "errors.tranche.notSigned"));
    if (project.status === "lost") errors.push(err(r.row, label("project_code"), "errors.tranche.projectLost"));
    if (arrivedOn && project.signedOn && arrivedOn < project.signedOn) errors.push(err(r.row, label("arrived_on"), "errors.tranche.beforeSigning"));
    const evidenceNo = evidenceOf(r);
    if (errors.length > before || !arrivedOn || !amount) continue;

    // the same tranche twice in the file: one evidence number twice, or a row without one that
    // has the project, date and amount of another row
    const rowPda = pda(project.id, arrivedOn, amount);
    const twinPda = seenPda.get(rowPda);
    const evidenceKey = evidenceKeyOf(evidenceNo);
    const twin = evidenceKey ? seenEvidence.get(evidenceKey) : undefined;
    if (twin !== undefined || (twinPda && (!evidenceNo || twinPda.blank))) {
      errors.push(err(r.row, label(twin !== undefined ? "evidence_no" : "amount"), "errors.import.duplicateRow", { first: twin ?? twinPda!.row }));
      continue;
    }
    if (evidenceKey) seenEvidence.set(evidenceKey, r.row);
    if (!seenPda.has(rowPda)) seenPda.set(rowPda, { row: r.row, blank: !evidenceNo });

    let current: (typeof ofProjects)[number] | undefined;
    if (evidenceKey) {
      const hits = byEvidence.get(evidenceKey) ?? [];
      current = hits.find((x) => x.t.projectId === project.id)?.t;
      // an evidence number is one bank slip: already used by another project (which may be out of
      // the importer's scope, so it is not named) — unless that tranche was rejected or its
      // project deleted, as for the duplicate-evidence flag
      if (!current && hits.some((x) => x.t.status !== "rejected" && !x.projectDeleted)) {
        errors.push(err(r.row, label("evidence_no"), "errors.import.evidenceElsewhere", { evidence: evidenceNo ?? "" }));
        continue;
      }
    } else current = (byPda.get(rowPda) ?? []).find((t) => !claimed.has(t.id));
    if (current) {
      const first = claimed.get(current.id);
      if (first !== undefined) {
        errors.push(err(r.row, label("amount"), "errors.import.duplicateRow", { first }));
        continue;
      }
      claimed.set(current.id, r.row);
    }
    const note = r.get("note") || null;
    const status = verified ? "verified" : "pending";
    const key = evidenceNo ?? `${project.code} ${arrivedOn} ${amount}`;
    if (!current) {
      const first = project.stage === "signed" && !firstTrancheOf.has(project.id);
      if (first) firstTrancheOf.add(project.id);
      planned.push({
        row: r.row, action: "new", key, changes: [`${project.code} ${amount}`],
        locks: [{ column: label("arrived_on"), unitId: project.unitId, dates: [arrivedOn] }],
        apply: async (tx, ctx) => {
          // verified in the file: the sheet is the report (no reporter), the importer the verifier —
          // so the reporter is never also the verifier, and the audit entry says how it came in
          const [t] = await tx
            .insert(tranches)
            .values({
              projectId: project.id, amount, arrivedOn, evidenceNo, note, status, reportedBy: verified ? null : ctx.actor.id, reportedAt: ctx.now,
              verifiedBy: verified ? ctx.actor.id : null, verifiedAt: verified ? ctx.now : null,
            })
            .returning();
          await writeAudit(tx, {
            actorId: ctx.actor.id, action: verified ? "tranche.import_verified" : "tranche.import", entityType: "tranche", entityId: t!.id, unitId: project.unitId,
            after: { ...t, source: "import", verifiedByImport: verified },
          });
          if (first) {
            const moved = await seen(updateVersioned(tx, projects, project.id, project.version, { stage: "funds", stageSince: arrivedOn }));
            await tx.insert(stageEvents).values({ projectId: project.id, fromStage: "signed", toStage: "funds", fromStatus: project.status, toStatus: project.status, businessDate: arrivedOn, actorId: ctx.actor.id, note: IMPORT_NOTE });
            await writeAudit(tx, { actorId: ctx.actor.id, action: "project.move_stage", entityType: "project", entityId: project.id, unitId: project.unitId, before: project, after: moved });
          }
        },
      });
      continue;
    }
    const changes: string[] = [];
    if (!dec(current.amount).eq(amount)) changes.push(`amount: ${current.amount} → ${amount}`);
    if (current.arrivedOn !== arrivedOn) changes.push(`arrived_on: ${current.arrivedOn} → ${arrivedOn}`);
    if (verified && current.status === "pending") changes.push("pending → verified");
    if (current.status === "rejected" && verified) changes.push("rejected → verified");
    if (!changes.length) {
      planned.push({ row: r.row, action: "unchanged", key, changes });
      continue;
    }
    if (current.status !== "pending") {
      errors.push(err(r.row, label("amount"), "errors.tranche.notPending"));
      continue;
    }
    // verified by a leader or admin who is not the reporter, by import as on the page
    if (verified && current.reportedBy === actor.id) {
      errors.push(err(r.row, label("verified"), "errors.import.ownReport"));
      continue;
    }
    planned.push({
      row: r.row, action: "updated", key, changes,
      locks: [{ column: label("arrived_on"), unitId: project.unitId, dates: [current.arrivedOn, arrivedOn] }],
      apply: async (tx, ctx) => {
        const t = await seen(
          updateVersioned(tx, tranches, current.id, current.version, { amount, arrivedOn, note, status, verifiedBy: verified ? ctx.actor.id : null, verifiedAt: verified ? ctx.now : null }),
        );
        await writeAudit(tx, {
          actorId: ctx.actor.id, action: verified ? "tranche.import_verified" : "tranche.import", entityType: "tranche", entityId: current.id, unitId: project.unitId,
          before: current, after: { ...t, source: "import", verifiedByImport: verified },
        });
      },
    });
  }
  return { planned, errors };
}

const evidenceOf = (r: TRowReader) => r.get("evidence_no").slice(0, 60) || null;

function groupBy<T>(items: T[], key: (t: T) => string) {
  const out = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = out.get(k);
    if (list) list.push(i);
    else out.set(k, [i]);
  }
  return out;
}

// ─── targets ──────────────────────────────────────────────────────────────────────────────────

async function planTargets(db: Db, actor: TActor, rows: TRowReader[], label: (k: string) => string, tick: TTick) {
  const errors: TImportError[] = [];
  const planned: TPlanned[] = [];
  const { byKey: unitByKey } = await scopeUnits(db, actor);
  const parsed: Array<{ r: TRowReader; unit: typeof units.$inferSelect; year: number; metric: TTargetMetric; value: string }> = [];
  for (const r of rows) {
    await tick();
    const before = errors.length;
    const unit = unitByKey.get(r.get("unit"));
    if (!unit) errors.push(err(r.row, label("unit"), "errors.import.unitScope", { unit: r.get("unit") }));
    const year = Number(r.get("year").replace(/年$/, ""));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) errors.push(err(r.row, label("year"), "errors.import.year", { value: r.get("year") }));
    const metric = parseMetric(r.get("metric"));
    if (!metric) errors.push(err(r.row, label("metric"), "errors.import.enum", { value: r.get("metric") }));
    let value: string | null = null;
    if (metric === "signed_projects") {
      if (!/^\d{1,6}$/.test(r.get("value"))) errors.push(err(r.row, label("value"), "errors.target.wholeNumber"));
      else value = `${r.get("value")}.00`;
    } else if (metric) value = amountIn(r, "value", metric === "foreign_funds" ? "USD" : "CNY", label, errors);
    if (errors.length > before || !unit || !metric || !value) continue;
    parsed.push({ r, unit, year, metric, value });
  }
  errors.push(...duplicateKeys(parsed.map((p) => ({ row: p.r.row, key: `${p.unit.id}|${p.year}|${p.metric}`, item: p })), label("metric")));
  const current = parsed.length
    ? await db.select().from(targets).where(or(...parsed.map((p) => and(eq(targets.unitId, p.unit.id), eq(targets.year, p.year), eq(targets.metric, p.metric)))))
    : [];
  for (const p of parsed) {
    const c = current.find((t) => t.unitId === p.unit.id && t.year === p.year && t.metric === p.metric);
    const key = `${p.unit.code} ${p.year} ${p.metric}`;
    if (c && dec(c.value).eq(p.value)) {
      planned.push({ row: p.r.row, action: "unchanged", key, changes: [] });
      continue;
    }
    planned.push({
      row: p.r.row, action: c ? "updated" : "new", key, changes: [c ? `${c.value} → ${p.value}` : p.value],
      locks: [{ ...targetLockTarget(p.unit.id, p.year), column: label("value") }],
      apply: async (tx, ctx) => {
        const [t] = c
          ? [await seen(updateVersioned(tx, targets, c.id, c.version, { value: p.value, updatedBy: ctx.actor.id }))]
          : await tx.insert(targets).values({ unitId: p.unit.id, year: p.year, metric: p.metric, value: p.value, updatedBy: ctx.actor.id }).returning();
        await writeAudit(tx, { actorId: ctx.actor.id, action: "target.import", entityType: "target", entityId: t!.id, unitId: p.unit.id, before: c ?? null, after: t });
      },
    });
  }
  return { planned, errors };
}

export { COLUMNS };
