// The audit chain proves that no entry was changed or removed *between* two entries, but not that
// the newest ones are still there: deleting the last entries leaves a shorter, intact chain (and
// whoever can do that can also rewrite every entry after one they changed). So the head of the
// chain — its last entry's seq and hash — is recorded outside the chain, in each period lock and
// each publication of figures, and `audit verify` checks that every recorded head is still in the
// chain with the same hash; it prints the head it verified up to so an operator can note it
// elsewhere and check it later (`audit verify --expect <seq>:<hash>`).
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";

export type TAuditHead = { auditHeadSeq: number | null; auditHeadHash: string | null };

/** The chain's last committed entry now, as the columns a lock or publication records. */
export async function currentAuditHead(tx: Db): Promise<TAuditHead> {
  const [row] = await queryRows<{ seq: string; hash: string }>(tx, sql`select seq::text as seq, hash from audit_log order by audit_log.seq desc limit 1` /* the column: the text alias would sort 9 after 10 */);
  return row ? { auditHeadSeq: Number(row.seq), auditHeadHash: row.hash } : { auditHeadSeq: null, auditHeadHash: null };
}

export type TAnchorSource = "period_lock" | "published_figures" | "operator";
/** A head recorded outside the chain: the entry `seq` must still be there with this hash. */
export type TAuditAnchor = { source: TAnchorSource; id: string; seq: number; hash: string };

/** Every head recorded by period locks and publications, lowest seq first. */
export async function findAuditAnchors(db: Db): Promise<TAuditAnchor[]> {
  const rows = await queryRows<{ source: TAnchorSource; id: string; seq: string; hash: string }>(
    db,
    sql`select 'period_lock' as source, id::text as id, audit_head_seq::text as seq, audit_head_hash as hash
          from period_locks where audit_head_seq is not null
        union all
        select 'published_figures', id::text, audit_head_seq::text, audit_head_hash
          from published_figures where audit_head_seq is not null`,
  );
  return rows.map((r) => ({ source: r.source, id: r.id, seq: Number(r.seq), hash: r.hash })).sort((a, b) => a.seq - b.seq);
}

/** `<seq>:<hash>` as printed by `audit verify`. */
export function parseAuditHead(text: string): TAuditAnchor | null {
  const m = /^\s*(\d{1,18}):([0-9a-f]{64})\s*$/i.exec(text);
  return m ? { source: "operator", id: "", seq: Number(m[1]), hash: m[2]!.toLowerCase() } : null;
}
