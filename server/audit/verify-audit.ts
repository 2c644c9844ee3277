// Verification of the tamper-evident audit log. The chain is written by the audit_log_chain trigger
// (migration 0001; 0011 makes it stamp `at` itself); this check recomputes every hash here, in
// TypeScript, from the stored values, so a database whose hash function or trigger was replaced
// cannot vouch for itself. Entries are read in seq order in batches (keyset), so a log of millions
// of entries never sits in memory.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import type { TActor } from "@/server/auth/actor";
import { findAuditAnchors, type TAuditAnchor } from "./audit-head";

export const GENESIS_HASH = "0".repeat(64);

/** The stored values an entry's hash covers, as text exactly as the trigger sees them. */
export type THashInput = {
  prevHash: string;
  seq: string;
  /** `at` in microseconds since the Unix epoch */
  atMicros: bigint;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  unitId: string | null;
  /** `before::text` / `after::text` (jsonb's canonical text), null when SQL NULL */
  before: string | null;
  after: string | null;
};

/**
 * The trigger's timestamp text: `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
 * e.g. 2026-03-02T01:15:00.123456Z. Formatted here from the epoch microseconds.
 */
export function formatAuditTimestamp(atMicros: bigint): string {
  let ms = atMicros / 1000n;
  let micros = atMicros % 1_000_000n;
  if (micros < 0n) {
    micros += 1_000_000n;
    if (atMicros % 1000n !== 0n) ms -= 1n; // BigInt division truncates toward zero
  }
  const iso = new Date(Number(ms)).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
  return `${iso.slice(0, 19)}.${micros.toString().padStart(6, "0")}Z`;
}

/** sha256 (hex) of the '|'-joined text the audit_log_hash function hashes. */
export function auditEntryHash(e: THashInput): string {
  const text = [
    e.prevHash,
    e.seq,
    formatAuditTimestamp(e.atMicros),
    e.actorId ?? "",
    e.action,
    e.entityType,
    e.entityId,
    e.unitId ?? "",
    e.before ?? "null",
    e.after ?? "null",
  ].join("|");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export type TAuditBreak = {
  seq: number;
  action: string;
  entityType: string;
  entityId: string;
  unitId: string | null;
  at: string;
  /**
   * "prev_hash": does not link to the previous entry (one removed or inserted); "hash": the entry's
   * content changed; "anchor": its hash is not the one a lock or publication recorded for it (the
   * entries from here on were rewritten); "missing": an entry recorded as the head is gone (the
   * newest entries were removed) — then seq is the missing entry's and the object fields are empty
   */
  problems: Array<"prev_hash" | "hash" | "anchor" | "missing">;
  /** the recorded head that was not met (for "anchor" and "missing") */
  anchor?: TAuditAnchor;
  /** the previous entry's seq (null for the first entry) */
  previousSeq: number | null;
  expectedPrevHash: string;
  storedPrevHash: string;
  computedHash: string;
  storedHash: string;
};

export type TVerifyResult =
  /** `anchors`: how many heads recorded outside the chain were checked */
  | { ok: true; entries: number; lastSeq: number | null; lastHash: string | null; anchors: number; ms: number }
  | { ok: false; entries: number; checked: number; broken: TAuditBreak; ms: number };

type TRow = {
  seq: string;
  at_micros: string;
  at_text: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  unit_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
};

/**
 * Walk the whole chain in seq order: each entry's prev_hash must equal the previous entry's hash
 * (the genesis value for the first), and its hash must equal the hash recomputed from its stored
 * values. Stops at the first broken entry. Gaps in seq are normal (a rolled-back write consumed a
 * number); a removed entry shows as a prev_hash that links to nothing.
 */
export async function verifyAuditChain(
  db: Db,
  opts: { batchSize?: number; onProgress?: (checked: number) => void; expect?: TAuditAnchor[] } = {},
): Promise<TVerifyResult> {
  const started = Date.now();
  // heads recorded outside the chain (locks, publications, an operator's note), read first: an
  // entry written during the walk cannot be one of them
  const anchors = [...(await findAuditAnchors(db)), ...(opts.expect ?? [])];
  const anchorsAt = new Map<number, TAuditAnchor[]>();
  for (const a of anchors) anchorsAt.set(a.seq, [...(anchorsAt.get(a.seq) ?? []), a]);
  const seen = new Set<number>();
  const batchSize = opts.batchSize ?? 2000;
  let expectedPrev = GENESIS_HASH;
  let previousSeq: number | null = null;
  let lastSeq = "0";
  let checked = 0;
  let first = true;
  for (;;) {
    const rows = await queryRows<TRow>(
      db,
      sql`select seq::text as seq,
            (extract(epoch from at) * 1000000)::bigint::text as at_micros,
            to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_text,
            actor_id::text as actor_id, action, entity_type, entity_id, unit_id::text as unit_id,
            before::text as before, after::text as after, prev_hash, hash
          from audit_log
          where ${first ? sql`true` : sql`audit_log.seq > ${lastSeq}::bigint`}
          order by audit_log.seq -- the column, not the text alias above (text would sort 10 before 2)
          limit ${batchSize}`,
    );
    first = false;
    if (!rows.length) break;
    for (const r of rows) {
      const computed = auditEntryHash({
        prevHash: r.prev_hash,
        seq: r.seq,
        atMicros: BigInt(r.at_micros),
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        unitId: r.unit_id,
        before: r.before,
        after: r.after,
      });
      const problems: TAuditBreak["problems"] = [];
      if (r.prev_hash !== expectedPrev) problems.push("prev_hash");
      if (computed !== r.hash) problems.push("hash");
      const anchored = anchorsAt.get(Number(r.seq));
      const unmet = anchored?.find((a) => a.hash !== r.hash);
      if (unmet) problems.push("anchor");
      if (anchored) seen.add(Number(r.seq));
      if (problems.length) {
        return {
          ok: false,
          entries: await countEntries(db),
          checked,
          ms: Date.now() - started,
          broken: {
            seq: Number(r.seq),
            action: r.action,
            entityType: r.entity_type,
            entityId: r.entity_id,
            unitId: r.unit_id,
            at: r.at_text,
            problems,
            previousSeq,
            expectedPrevHash: expectedPrev,
            storedPrevHash: r.prev_hash,
            computedHash: computed,
            storedHash: r.hash,
            ...(unmet ? { anchor: unmet } : {}),
          },
        };
      }
      expectedPrev = r.hash;
      previousSeq = Number(r.seq);
      checked++;
    }
    lastSeq = rows[rows.length - 1]!.seq;
    opts.onProgress?.(checked);
    if (rows.length < batchSize) break;
  }
  // a recorded head the walk never met: removed, with everything after it if it was the newest
  const missing = anchors.find((a) => !seen.has(a.seq));
  if (missing)
    return {
      ok: false,
      entries: await countEntries(db),
      checked,
      ms: Date.now() - started,
      broken: {
        seq: missing.seq, action: "", entityType: "", entityId: "", unitId: null, at: "", problems: ["missing"], previousSeq,
        expectedPrevHash: "", storedPrevHash: "", computedHash: "", storedHash: "", anchor: missing,
      },
    };
  return { ok: true, entries: checked, lastSeq: previousSeq, lastHash: checked ? expectedPrev : null, anchors: anchors.length, ms: Date.now() - started };
}

async function countEntries(db: Db) {
  const [r] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from audit_log`);
  return Number(r?.n ?? 0);
}

const anchorName = (a: TAuditAnchor) =>
  a.source === "operator" ? "the head you gave (--expect)" : `${a.source === "period_lock" ? "period lock" : "published figures"} ${a.id}`;

/** One line for people: what broke, where. */
export function describeAuditBreak(b: TAuditBreak): string {
  if (b.problems.includes("missing") && b.anchor)
    return (
      `audit chain broken at seq ${b.seq}: the entry recorded as the chain head by ${anchorName(b.anchor)} (hash ${b.anchor.hash.slice(0, 12)}…) is missing — ` +
      `entries were removed${b.previousSeq === null ? " (the log is empty)" : ` (the log now ends at seq ${b.previousSeq} or has a gap there)`}`
    );
  const what = b.problems
    .map((p) =>
      p === "anchor"
        ? `its hash ${b.storedHash.slice(0, 12)}… is not the ${b.anchor!.hash.slice(0, 12)}… recorded for it by ${anchorName(b.anchor!)}: the entries from here on were rewritten`
        : p === "hash"
        ? `its stored hash ${b.storedHash.slice(0, 12)}… does not match its content (recomputed ${b.computedHash.slice(0, 12)}…): the entry was changed`
        : b.previousSeq === null
          ? `its prev_hash ${b.storedPrevHash.slice(0, 12)}… is not the genesis value: entries before it are missing`
          : `its prev_hash ${b.storedPrevHash.slice(0, 12)}… does not match the hash of the previous entry (seq ${b.previousSeq}): an entry was removed, inserted or changed`,
    )
    .join("; ");
  return `audit chain broken at seq ${b.seq} (${b.action} ${b.entityType} ${b.entityId}, ${b.at}): ${what}`;
}

/**
 * The verification as an administrator sees it on the admin page: the chain is global, but what
 * a broken entry is about is shown only if it lies in the viewer's scope (else only its seq).
 */
export async function verifyAuditForActor(db: Db, actor: Pick<TActor, "unitPath">) {
  const result = await verifyAuditChain(db);
  if (result.ok) return result;
  const b = result.broken;
  const visible = b.unitId ? await unitInScope(db, b.unitId, actor.unitPath) : actor.unitPath.split("/").filter(Boolean).length <= 1;
  return {
    ...result,
    broken: visible
      ? { ...b, hidden: false }
      : { ...b, action: "", entityType: "", entityId: "", unitId: null, ...(b.anchor ? { anchor: { ...b.anchor, id: "" } } : {}), hidden: true },
  };
}

async function unitInScope(db: Db, unitId: string, unitPath: string) {
  const rows = await queryRows<{ ok: boolean }>(db, sql`select true as ok from units where id = ${unitId}::uuid and path like ${`${unitPath}%`}`);
  return rows.length > 0;
}
