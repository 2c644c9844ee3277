import fs from "node:fs";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  describeTables,
  migrationLevel,
  quoteIdent,
  sequences,
  type TBackupHeader,
  type TBackupTable,
  type TSectionMarker,
  type TTrailer,
} from "./backup-format";

export type TBackupSummary = { file?: string; createdAt: string; migrations: TBackupHeader["migrations"]; tables: Array<{ name: string; rows: number }>; rows: number; bytes?: number };

const CURSOR = "zt_backup_rows";

/** Text form of a column for the file: base64 for bytea, PostgreSQL's own text form for the rest. */
const columnText = (name: string, type: string) =>
  type === "bytea" ? `translate(encode(${quoteIdent(name)}, 'base64'), E'\\n', '')` : `${quoteIdent(name)}::text`;

/**
 * Write every table of the application schema as the backup format (see backup-format.ts) through
 * `write`, from one consistent snapshot (a repeatable-read, read-only transaction). Rows are read
 * through a cursor in small batches (a few at a time for tables holding files), so memory stays flat.
 */
export async function writeBackup(db: Db, write: (line: string) => Promise<void>, now = new Date()): Promise<TBackupSummary> {
  return db.transaction(
    async (tx) => {
      // timestamptz as text follows the session's time zone: pin it so the file reads the same everywhere
      await tx.execute(sql`set local time zone 'UTC'`);
      await tx.execute(sql`set local datestyle = 'ISO, YMD'`);
      await tx.execute(sql`set local intervalstyle = 'iso_8601'`);
      await tx.execute(sql`set local extra_float_digits = 3`);
      const described = await describeTables(tx);
      const tables: TBackupTable[] = [];
      for (const t of described) {
        const [r] = await queryRows<{ n: string | number }>(tx, sql.raw(`select count(*) as n from public.${quoteIdent(t.name)}`));
        tables.push({ ...t, rows: Number(r?.n ?? 0) });
      }
      const [version] = await queryRows<{ v: string }>(tx, sql`select version() as v`);
      const header: TBackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: now.toISOString(),
        source: { server: version?.v ?? "" },
        migrations: await migrationLevel(tx),
        tables,
        sequences: await sequences(tx),
      };
      await write(`${JSON.stringify(header)}\n`);

      let total = 0;
      for (const t of tables) {
        await write(`${JSON.stringify({ table: t.name, rows: t.rows } satisfies TSectionMarker)}\n`);
        const hasFiles = t.columns.some((c) => c.type === "bytea");
        const batch = hasFiles ? 4 : 1000;
        const select = t.columns.map((c, i) => `${columnText(c.name, c.type)} as c${i}`).join(", ");
        // primary-key order (audit_log by seq): the file reads in a stable, meaningful order
        const order = t.primaryKey.length ? t.primaryKey.map(quoteIdent).join(", ") : "ctid";
        await tx.execute(sql.raw(`declare ${CURSOR} no scroll cursor for select ${select} from public.${quoteIdent(t.name)} order by ${order}`));
        let n = 0;
        for (;;) {
          const rows = await queryRows<Record<string, string | null>>(tx, sql.raw(`fetch forward ${batch} from ${CURSOR}`));
          if (!rows.length) break;
          let chunk = "";
          for (const r of rows) chunk += `${JSON.stringify(t.columns.map((_, i) => r[`c${i}`] ?? null))}\n`;
          await write(chunk);
          n += rows.length;
        }
        await tx.execute(sql.raw(`close ${CURSOR}`));
        // the snapshot is fixed: a different count means the read itself went wrong
        if (n !== t.rows) throw new Error(`backup of ${t.name}: counted ${t.rows} rows but read ${n}`);
        total += n;
      }
      await write(`${JSON.stringify({ end: true, tables: tables.length, rows: total } satisfies TTrailer)}\n`);
      return { createdAt: header.createdAt, migrations: header.migrations, tables: tables.map((t) => ({ name: t.name, rows: t.rows })), rows: total };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Back up the database into a gzip'd file. The file is written beside its final name and renamed
 * only when complete, so an interrupted backup never leaves a file that looks whole. It holds
 * password hashes and evidence files: it is created readable by its owner only.
 */
export async function backupToFile(db: Db, file: string, now = new Date()): Promise<TBackupSummary> {
  const partial = `${file}.partial`;
  const gzip = zlib.createGzip({ level: 6 });
  const done = pipeline(gzip, fs.createWriteStream(partial, { mode: 0o600 }));
  const write = async (line: string) => {
    if (!gzip.write(line)) await once(gzip, "drain");
  };
  try {
    const summary = await writeBackup(db, write, now);
    gzip.end();
    await done;
    fs.renameSync(partial, file);
    return { ...summary, file, bytes: fs.statSync(file).size };
  } catch (err) {
    gzip.destroy();
    await done.catch(() => {});
    fs.rmSync(partial, { force: true });
    throw err;
  }
}
