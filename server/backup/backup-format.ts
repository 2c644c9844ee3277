// The backup file: a portable, logical format that PGlite and PostgreSQL both read and write.
//
//   gzip( JSON lines )
//   line 1   header  {"format":"zhaoshang-tracker-backup","version":1,"createdAt",…,"migrations":{count,hash,createdAt,tag},
//                     "tables":[{name,columns:[{name,type}],primaryKey,rows}],"sequences":[{name,lastValue,isCalled}]}
//   then, per table in dependency order (parents first):
//            {"table":"units","rows":15}       a section marker
//            ["…","…",null,…]                  one JSON array per row, values in the header's column order
//   last     {"end":true,"tables":N,"rows":M}  the trailer: a file without it is incomplete
//
// Every value is null or a string: PostgreSQL's own text form of the value (numeric exact, dates
// ISO, timestamptz in UTC with microseconds, jsonb canonical text, enums by label), except bytea,
// which is base64. Read back with a cast to the column's type, each value is exactly what was stored.
import fs from "node:fs";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { sql } from "drizzle-orm";
import { MIGRATIONS_FOLDER, queryRows, type Db } from "@/db/client";

export const BACKUP_FORMAT = "zhaoshang-tracker-backup";
export const BACKUP_VERSION = 1;

export type TBackupColumn = { name: string; type: string };
export type TBackupTable = { name: string; columns: TBackupColumn[]; primaryKey: string[]; rows: number };
export type TMigrationLevel = { count: number; hash: string | null; createdAt: string | null; tag: string | null };
export type TBackupSequence = { name: string; lastValue: string; isCalled: boolean };
export type TBackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  source: { server: string };
  migrations: TMigrationLevel;
  tables: TBackupTable[];
  sequences: TBackupSequence[];
};
export type TSectionMarker = { table: string; rows: number };
export type TTrailer = { end: true; tables: number; rows: number };

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Tables of the application schema with their stored columns (generated ones left out) and primary keys. */
export async function describeTables(db: Db): Promise<Array<Omit<TBackupTable, "rows">>> {
  const cols = await queryRows<{ tbl: string; name: string; type: string }>(
    db,
    sql`select c.relname as tbl, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
        order by c.relname, a.attnum`,
  );
  const pks = await queryRows<{ tbl: string; name: string }>(
    db,
    sql`select c.relname as tbl, a.attname as name
        from pg_index i
        join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
        where i.indisprimary and n.nspname = 'public'
        order by c.relname, k.ord`,
  );
  const byTable = new Map<string, Omit<TBackupTable, "rows">>();
  for (const c of cols) {
    if (!byTable.has(c.tbl)) byTable.set(c.tbl, { name: c.tbl, columns: [], primaryKey: [] });
    byTable.get(c.tbl)!.columns.push({ name: c.name, type: c.type });
  }
  for (const k of pks) byTable.get(k.tbl)?.primaryKey.push(k.name);
  const fks = await foreignKeys(db);
  return dependencyOrder([...byTable.keys()], fks).map((n) => byTable.get(n)!);
}

export type TForeignKey = { name: string; child: string; parent: string; childCols: string[]; parentCols: string[] };

export async function foreignKeys(db: Db): Promise<TForeignKey[]> {
  const rows = await queryRows<{ name: string; child: string; parent: string; child_cols: string | string[]; parent_cols: string | string[] }>(
    db,
    sql`select con.conname as name, c.relname as child, p.relname as parent,
          array_to_json(array_agg(ca.attname::text order by k.ord))::text as child_cols,
          array_to_json(array_agg(pa.attname::text order by k.ord))::text as parent_cols
        from pg_constraint con
        join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        join pg_class p on p.oid = con.confrelid
        cross join lateral unnest(con.conkey, con.confkey) with ordinality as k(ck, pk, ord)
        join pg_attribute ca on ca.attrelid = c.oid and ca.attnum = k.ck
        join pg_attribute pa on pa.attrelid = p.oid and pa.attnum = k.pk
        where con.contype = 'f' and n.nspname = 'public'
        group by con.conname, c.relname, p.relname
        order by c.relname, con.conname`,
  );
  const arr = (v: string | string[]) => (Array.isArray(v) ? v : (JSON.parse(v) as string[]));
  return rows.map((r) => ({ name: r.name, child: r.child, parent: r.parent, childCols: arr(r.child_cols), parentCols: arr(r.parent_cols) }));
}

/** Parents before children (self-references ignored), ties by name: a stable, readable order. */
export function dependencyOrder(tables: string[], fks: TForeignKey[]): string[] {
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const fk of fks) if (fk.child !== fk.parent && deps.has(fk.child) && deps.has(fk.parent)) deps.get(fk.child)!.add(fk.parent);
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < tables.length) {
    const ready = [...deps.keys()].filter((t) => !done.has(t) && [...deps.get(t)!].every((d) => done.has(d))).sort();
    // a cycle between tables (none today): append the rest by name; restore disables FK triggers anyway
    const next = ready.length ? ready : [...deps.keys()].filter((t) => !done.has(t)).sort();
    for (const t of next) {
      done.add(t);
      out.push(t);
    }
  }
  return out;
}

/** Which migrations the database has applied (drizzle's bookkeeping), with the tag of the last one. */
export async function migrationLevel(db: Db): Promise<TMigrationLevel> {
  const [last] = await queryRows<{ n: string | number; hash: string | null; created_at: string | null }>(
    db,
    sql`select (select count(*) from drizzle.__drizzle_migrations) as n, m.hash, m.created_at::text as created_at
        from (select 1) one left join (select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1) m on true`,
  );
  const createdAt = last?.created_at ?? null;
  return { count: Number(last?.n ?? 0), hash: last?.hash ?? null, createdAt, tag: createdAt ? migrationTag(createdAt) : null };
}

function migrationTag(createdAt: string): string | null {
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: Array<{ when: number; tag: string }> };
    return journal.entries.find((e) => String(e.when) === createdAt)?.tag ?? null;
  } catch {
    return null;
  }
}

export async function sequences(db: Db): Promise<TBackupSequence[]> {
  const names = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'S' and n.nspname = 'public' order by c.relname`,
  );
  const out: TBackupSequence[] = [];
  for (const { name } of names) {
    const [r] = await queryRows<{ last_value: string; is_called: boolean }>(db, sql.raw(`select last_value::text as last_value, is_called from public.${quoteIdent(name)}`));
    out.push({ name, lastValue: r!.last_value, isCalled: r!.is_called });
  }
  return out;
}

/** Lines of a text stream (UTF-8), however long a line is (an evidence file is one line). */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let parts: string[] = []; // the current line so far, in pieces: a long line is joined once
  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    let start = 0;
    let i: number;
    while ((i = text.indexOf("\n", start)) >= 0) {
      parts.push(text.slice(start, i));
      yield parts.join("");
      parts = [];
      start = i + 1;
    }
    if (start < text.length) parts.push(text.slice(start));
  }
  parts.push(decoder.end());
  const last = parts.join("");
  if (last) yield last;
}
