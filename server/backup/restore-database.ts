import fs from "node:fs";
import zlib from "node:zlib";
import { sql } from "drizzle-orm";
import { pgErrorCode, queryRows, type Db } from "@/db/client";
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  describeTables,
  foreignKeys,
  migrationLevel,
  quoteIdent,
  readLines,
  type TBackupHeader,
  type TBackupTable,
  type TSectionMarker,
  type TTrailer,
} from "./backup-format";

export class RestoreError extends Error {}

export type TRestoreSummary = { createdAt: string; migrations: TBackupHeader["migrations"]; tables: Array<{ name: string; rows: number }>; rows: number };

const MAX_BATCH_ROWS = 1000;
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

function parseHeader(line: string | undefined): TBackupHeader {
  let h: TBackupHeader | undefined;
  try {
    h = line ? (JSON.parse(line) as TBackupHeader) : undefined;
  } catch {
    /* not JSON */
  }
  if (!h || h.format !== BACKUP_FORMAT) throw new RestoreError("not a backup file of this application (no backup header)");
  if (h.version !== BACKUP_VERSION) throw new RestoreError(`backup format version ${h.version} is not supported (this version reads ${BACKUP_VERSION})`);
  return h;
}

const levelText = (m: TBackupHeader["migrations"]) => `${m.count} migration(s)${m.tag ? `, last ${m.tag}` : ""}`;

/**
 * Restore a backup (the lines of the format in backup-format.ts) into an EMPTY, migrated database,
 * in one transaction: on any error nothing is written.
 *
 * Rows go in exactly as stored — audit entries keep their seq, timestamps and hashes — so the
 * restore turns triggers off for its own transaction (`session_replication_role = replica`): the
 * audit chain trigger would otherwise re-number and re-hash every entry, and foreign-key triggers
 * would check a row before the one it refers to (units refer to units) had arrived.
 * That setting needs a superuser connection (PGlite is one; on PostgreSQL connect as a superuser,
 * e.g. postgres). Foreign keys are checked explicitly once all rows are in.
 */
export async function restoreBackup(db: Db, lines: AsyncIterator<string>): Promise<TRestoreSummary> {
  const header = parseHeader((await lines.next()).value as string | undefined);

  const here = await migrationLevel(db);
  if (here.count !== header.migrations.count || here.hash !== header.migrations.hash)
    throw new RestoreError(
      `the backup was made at ${levelText(header.migrations)}; this database is at ${levelText(here)}. ` +
        "Restore with the version of the application that made the backup (same migrations), then upgrade.",
    );

  const target = new Map((await describeTables(db)).map((t) => [t.name, t]));
  const missing = header.tables.filter((t) => !target.has(t.name)).map((t) => t.name);
  const extra = [...target.keys()].filter((n) => !header.tables.some((t) => t.name === n));
  if (missing.length || extra.length)
    throw new RestoreError(`the backup's tables differ from this database's (${[...missing.map((n) => `-${n}`), ...extra.map((n) => `+${n}`)].join(", ")})`);
  for (const t of header.tables) {
    const have = target.get(t.name)!.columns.map((c) => c.name).sort().join(",");
    const want = t.columns.map((c) => c.name).sort().join(",");
    if (have !== want) throw new RestoreError(`the columns of ${t.name} differ between the backup and this database`);
  }

  return db.transaction(async (tx) => {
    const nonEmpty: string[] = [];
    for (const t of header.tables) {
      const rows = await queryRows<{ x: number }>(tx, sql.raw(`select 1 as x from public.${quoteIdent(t.name)} limit 1`));
      if (rows.length) nonEmpty.push(t.name);
    }
    if (nonEmpty.length)
      throw new RestoreError(
        `the database is not empty (${nonEmpty.join(", ")} hold rows). A backup is restored only into an empty, migrated database: ` +
          "a new PGLITE_DIR folder, or a newly created PostgreSQL database.",
      );

    try {
      await tx.execute(sql`set local session_replication_role = replica`);
    } catch (err) {
      if (pgErrorCode(err) === "42501")
        throw new RestoreError("restore needs a superuser connection (it sets session_replication_role to keep audit entries exactly as stored)");
      throw err;
    }
    await tx.execute(sql`set local time zone 'UTC'`);
    await tx.execute(sql`set local datestyle = 'ISO, YMD'`);
    await tx.execute(sql`set local intervalstyle = 'iso_8601'`);

    const counts: Array<{ name: string; rows: number }> = [];
    let current: { table: TBackupTable; insert: (batch: string) => Promise<void>; rows: number } | null = null;
    let batch: string[] = [];
    let chars = 0;
    let trailer: TTrailer | null = null;
    const flush = async () => {
      if (!current || !batch.length) return;
      await current.insert(`[${batch.join(",")}]`);
      batch = [];
      chars = 0;
    };
    const closeSection = async () => {
      if (!current) return;
      await flush();
      if (current.rows !== current.table.rows)
        throw new RestoreError(`the backup is damaged: ${current.table.name} has ${current.rows} rows, its header says ${current.table.rows}`);
      counts.push({ name: current.table.name, rows: current.rows });
      current = null;
    };

    for (let r = await lines.next(); !r.done; r = await lines.next()) {
      const line = r.value;
      if (!line) continue;
      if (trailer) throw new RestoreError("the backup is damaged: data after its end marker");
      if (line.startsWith("[")) {
        if (!current) throw new RestoreError("the backup is damaged: rows outside a table section");
        batch.push(line);
        chars += line.length;
        current.rows++;
        if (batch.length >= MAX_BATCH_ROWS || chars >= MAX_BATCH_CHARS) await flush();
        continue;
      }
      let marker: Partial<TSectionMarker & TTrailer>;
      try {
        marker = JSON.parse(line) as Partial<TSectionMarker & TTrailer>;
      } catch {
        throw new RestoreError("the backup is damaged: a line is not JSON");
      }
      await closeSection();
      if (marker.end) {
        trailer = marker as TTrailer;
        continue;
      }
      const table = header.tables.find((t) => t.name === marker.table);
      if (!table) throw new RestoreError(`the backup is damaged: unknown table section ${String(marker.table)}`);
      if (counts.some((c) => c.name === table.name)) throw new RestoreError(`the backup is damaged: ${table.name} appears twice`);
      current = { table, insert: inserter(tx, table, target.get(table.name)!), rows: 0 };
    }
    await closeSection();
    if (!trailer) throw new RestoreError("the backup is incomplete (no end marker): it was cut short; nothing was restored");
    const total = counts.reduce((n, c) => n + c.rows, 0);
    if (counts.length !== header.tables.length || trailer.rows !== total)
      throw new RestoreError(`the backup is damaged: ${counts.length} of ${header.tables.length} tables, ${total} of ${trailer.rows} rows`);

    for (const s of header.sequences) {
      await tx.execute(sql`select setval(${`public.${quoteIdent(s.name)}`}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`);
    }
    // the audit chain trigger numbers new entries from audit_log_seq: never behind the restored entries
    if (header.sequences.some((s) => s.name === "audit_log_seq") && header.tables.some((t) => t.name === "audit_log"))
      await tx.execute(sql`select setval('public.audit_log_seq', m) from (select max(seq) as m from audit_log) x
        where m is not null and m > (select case when is_called then last_value else last_value - 1 end from public.audit_log_seq)`);

    // triggers were off: check every foreign key now, so a damaged backup cannot leave dangling rows
    for (const fk of await foreignKeys(tx)) {
      const c = (col: string) => `c.${quoteIdent(col)}`;
      const notNull = fk.childCols.map((col) => `${c(col)} is not null`).join(" and ");
      const match = fk.childCols.map((col, i) => `p.${quoteIdent(fk.parentCols[i]!)} = ${c(col)}`).join(" and ");
      const [bad] = await queryRows<{ n: string | number }>(
        tx,
        sql.raw(`select count(*) as n from public.${quoteIdent(fk.child)} c where ${notNull} and not exists (select 1 from public.${quoteIdent(fk.parent)} p where ${match})`),
      );
      if (Number(bad?.n ?? 0) > 0) throw new RestoreError(`the backup is damaged: ${bad!.n} row(s) of ${fk.child} refer to missing ${fk.parent} (${fk.name})`);
    }
    return { createdAt: header.createdAt, migrations: header.migrations, tables: counts, rows: total };
  });
}

/** An INSERT … SELECT from a JSON array of rows, each value cast to the column's type in this database. */
function inserter(tx: Db, table: TBackupTable, target: Omit<TBackupTable, "rows">) {
  const typeOf = new Map(target.columns.map((c) => [c.name, c.type]));
  const cols = table.columns.map((c) => quoteIdent(c.name)).join(", ");
  const exprs = table.columns
    .map((c, i) => {
      const type = typeOf.get(c.name)!;
      return type === "bytea" ? `decode(r.v->>${i}, 'base64')` : `(r.v->>${i})::${type}`;
    })
    .join(", ");
  const head = `insert into public.${quoteIdent(table.name)} (${cols}) overriding system value select ${exprs} from jsonb_array_elements(`;
  return async (json: string) => {
    try {
      await tx.execute(sql`${sql.raw(head)}${json}::jsonb) as r(v)`);
    } catch (err) {
      // the driver's error quotes the whole batch (evidence files too): name the table and the cause only
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message.split("\n")[0];
      throw new RestoreError(`the backup is damaged: rows of ${table.name} could not be restored (${cause})`);
    }
  };
}

/** Restore from a gzip'd backup file (see restoreBackup). */
export async function restoreFromFile(db: Db, file: string): Promise<TRestoreSummary> {
  const fd = fs.openSync(file, "r");
  const magic = Buffer.alloc(2);
  fs.readSync(fd, magic, 0, 2, 0);
  fs.closeSync(fd);
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new RestoreError(`${file} is not a backup file (not gzip)`);
  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  source.on("error", (e) => gunzip.destroy(e));
  const lines = readLines(source.pipe(gunzip));
  try {
    return await restoreBackup(db, lines);
  } catch (err) {
    if (pgErrorCode(err) === undefined && (err as { code?: string }).code === "Z_BUF_ERROR")
      throw new RestoreError("the backup is incomplete: the gzip stream was cut short; nothing was restored");
    throw err;
  } finally {
    await lines.return(undefined);
    source.destroy();
  }
}
