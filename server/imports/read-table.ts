// A spreadsheet file (CSV in UTF-8 or GB18030/GBK, or XLSX) as rows of text cells, with guards
// against oversized files and zip bombs checked before anything reaches a parser.
//
// XLSX: the zip's entries are expanded by us first, through a byte counter that stops at the cap
// (a zip's headers can claim any size: only the bytes actually produced count). ExcelJS then reads
// a copy of the zip we rebuild from those same entries, streamed row by row, so neither the
// headers' claims nor entries hidden outside the central directory ever reach it, and memory holds
// only the chosen sheet's rows — reading stops at the row limit.
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse";
import iconv from "iconv-lite";
import yauzl from "yauzl";
import { AppError } from "@/server/lib/errors";
import { IMPORT_LIMITS } from "@/lib/import-columns";

export { IMPORT_LIMITS };

export type TRawRow = { row: number; cells: string[] };
/** Every non-empty row, the header among them (the importer finds it: a title may sit above it). */
export type TTable = { sheets: string[]; sheet: string | null; encoding: string; rows: TRawRow[] };
export type TReadProgress = (p: { done: number; total: number }) => void;

/** How many rows above the data the header may be found in (titles, notes). */
export const HEADER_SCAN = 10;
/** Reading stops past this many non-empty rows: the header, a few title rows and the data limit. */
const MAX_READ_ROWS = IMPORT_LIMITS.maxRows + HEADER_SCAN;
const PROGRESS_EVERY = 2000;
const PROGRESS_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
/**
 * Columns read per row; cells further right are ignored like any unknown column. The widest import
 * has 17 columns. Without a cap one cell in column XFD makes every row 16,384 cells wide: a 20 KB
 * file could fill gigabytes.
 */
export const MAX_COLUMNS = 100;
const CSV_PIECE = 16 * 1024;

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8; otherwise GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "UTF-8 BOM" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), "gb18030"), encoding: "GB18030" };
  }
}

const tooBig = () => new AppError("INVALID", { key: "errors.import.tooLarge", values: { mb: IMPORT_LIMITS.maxBytes / 1024 / 1024 } });
const zipBomb = () => new AppError("INVALID", { key: "errors.import.zipBomb" });
const badFile = () => new AppError("INVALID", { key: "errors.import.badFile" });
export const tooManyRows = () => new AppError("INVALID", { key: "errors.import.tooManyRows", values: { max: IMPORT_LIMITS.maxRows } });

export async function readTable(bytes: Uint8Array, opts: { sheet?: string | null; onProgress?: TReadProgress } = {}): Promise<TTable> {
  if (bytes.byteLength > IMPORT_LIMITS.maxBytes) throw tooBig();
  if (bytes.byteLength === 0) throw new AppError("INVALID", { key: "errors.import.empty" });
  const table = isZip(bytes) ? await readXlsx(bytes, opts) : await readCsv(bytes, opts.onProgress);
  if (!table.rows.length) throw new AppError("INVALID", { key: "errors.import.empty" });
  return table;
}

// ─── CSV ──────────────────────────────────────────────────────────────────────────────────────

async function readCsv(bytes: Uint8Array, onProgress?: TReadProgress): Promise<TTable> {
  const { text, encoding } = decodeText(bytes);
  // fed in pieces, so the parser's byte count says how far reading has got
  const buf = Buffer.from(text, "utf8");
  const pieces = Array.from({ length: Math.ceil(buf.length / CSV_PIECE) }, (_, i) => buf.subarray(i * CSV_PIECE, (i + 1) * CSV_PIECE));
  const parser = Readable.from(pieces).pipe(parseCsv({ relax_column_count: true, skip_empty_lines: false, bom: true }));
  const rows: TRawRow[] = [];
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n += 1;
      const cells = record.slice(0, MAX_COLUMNS).map((c) => c.trim());
      if (cells.some((c) => c !== "")) rows.push({ row: n, cells });
      if (rows.length > MAX_READ_ROWS) {
        parser.destroy();
        throw tooManyRows();
      }
      if (n % PROGRESS_EVERY === 0) {
        onProgress?.({ done: Math.min(parser.info.bytes, buf.length), total: buf.length });
        await new Promise((r) => setImmediate(r)); // let the progress line go out
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("INVALID", { key: "errors.import.badCsv" });
  }
  onProgress?.({ done: buf.length, total: buf.length });
  return { sheets: [], sheet: null, encoding, rows };
}

// ─── XLSX ─────────────────────────────────────────────────────────────────────────────────────

/** The parts ExcelJS needs, in the order that lets it read each sheet as it streams by. */
function partRank(name: string): number | null {
  if (name === "xl/_rels/workbook.xml.rels") return 0;
  if (name === "xl/workbook.xml") return 1;
  if (name === "xl/sharedStrings.xml") return 2;
  if (name === "xl/styles.xml") return 3;
  const m = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name);
  return m ? 10 + Number(m[1]) : null;
}

function openZip(bytes: Uint8Array): Promise<{ zip: yauzl.ZipFile; entries: yauzl.Entry[] }> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes: a stream that produces more (or fewer) bytes than its entry declares fails
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true, autoClose: false }, (err, zip) => {
      if (err || !zip) return reject(badFile());
      const entries: yauzl.Entry[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        if (entries.length >= MAX_ENTRIES) return reject(zipBomb());
        if (partRank(e.fileName) !== null) entries.push(e);
        zip.readEntry();
      });
      zip.on("end", () => resolve({ zip, entries: entries.sort((a, b) => partRank(a.fileName)! - partRank(b.fileName)!) }));
      zip.on("error", () => reject(badFile()));
      zip.readEntry();
    });
  });
}

function entryStream(zip: yauzl.ZipFile, e: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(e, (err, s) => (err || !s ? reject(badFile()) : resolve(s))));
}

/** yauzl's size check failing means the headers lied about what the entry expands to. */
const sizeLie = (err: unknown) => err instanceof Error && /too many bytes|not enough bytes/.test(err.message);

/**
 * Expand every part ExcelJS would read, counting the bytes actually produced: refused as soon as
 * the total passes the cap (absolute, and in proportion to the file), whatever the headers say.
 */
async function assertExpandsSafely(zip: yauzl.ZipFile, entries: yauzl.Entry[], compressed: number, onProgress?: TReadProgress) {
  const cap = Math.min(IMPORT_LIMITS.maxUncompressedBytes, compressed * IMPORT_LIMITS.maxCompressionRatio);
  const declared = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  if (declared > cap) throw zipBomb(); // honest headers: refused without expanding anything
  let total = 0;
  for (const e of entries) {
    const s = await entryStream(zip, e);
    try {
      for await (const chunk of s as AsyncIterable<Buffer>) {
        const before = total;
        total += chunk.length;
        if (total > cap) throw zipBomb();
        // the first pass is half of the reading
        if (Math.floor(before / PROGRESS_BYTES) !== Math.floor(total / PROGRESS_BYTES)) onProgress?.({ done: Math.round(total / 2), total: declared });
      }
    } catch (err) {
      s.destroy();
      if (err instanceof AppError) throw err;
      throw sizeLie(err) ? zipBomb() : badFile();
    }
  }
  return declared;
}

/** A zip of the checked entries, stored uncompressed, with the sizes they were checked to have. */
function rebuiltZip(zip: yauzl.ZipFile, entries: yauzl.Entry[], onBytes: (n: number) => void): Readable {
  return Readable.from(
    (async function* () {
      for (const e of entries) {
        const name = Buffer.from(e.fileName, "utf8");
        const h = Buffer.alloc(30);
        h.writeUInt32LE(0x04034b50, 0);
        h.writeUInt16LE(20, 4); // version needed
        h.writeUInt16LE(0x0800, 6); // UTF-8 names
        h.writeUInt16LE(0, 8); // stored
        h.writeUInt32LE(e.uncompressedSize, 18);
        h.writeUInt32LE(e.uncompressedSize, 22);
        h.writeUInt16LE(name.length, 26);
        yield h;
        yield name;
        for await (const chunk of (await entryStream(zip, e)) as AsyncIterable<Buffer>) {
          onBytes(chunk.length);
          yield chunk;
        }
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      yield end;
    })(),
    { objectMode: false },
  );
}

/** Text of an XLSX cell: dates as YYYY-MM-DD, numbers as written, formulas by their result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "object") {
    if ("result" in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
    if ("text" in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ("error" in v) return "";
  }
  return String(v);
}

async function readXlsx(bytes: Uint8Array, opts: { sheet?: string | null; onProgress?: TReadProgress }): Promise<TTable> {
  const { zip, entries } = await openZip(bytes);
  try {
    const declared = await assertExpandsSafely(zip, entries, bytes.byteLength, opts.onProgress);
    let streamed = 0;
    const source = rebuiltZip(zip, entries, (n) => (streamed += n));
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" });
    let sheets: string[] = [];
    let chosen: string | null = null;
    const rows: TRawRow[] = [];
    try {
      for await (const ws of reader) {
        // the workbook part comes first (see partRank): every sheet's name is known by now
        const model = (reader as unknown as { model?: { sheets?: Array<{ name: string }> } }).model;
        sheets = (model?.sheets ?? []).map((s) => s.name);
        const want = opts.sheet || sheets[0];
        const name = (ws as unknown as { name: string }).name;
        if (name !== want) continue; // never read: ExcelJS drains it
        chosen = name;
        for await (const row of ws) {
          // only the cells the row holds (never getCell, which creates the empty ones in between)
          const cells: string[] = [];
          row.eachCell((cell, c) => {
            if (c > MAX_COLUMNS) return;
            while (cells.length < c - 1) cells.push("");
            cells.push(cellText(cell.value).trim());
          });
          if (cells.some((x) => x !== "")) rows.push({ row: row.number, cells });
          if (rows.length > MAX_READ_ROWS) throw tooManyRows();
          if (rows.length % PROGRESS_EVERY === 0) opts.onProgress?.({ done: Math.round((declared + streamed) / 2), total: declared });
        }
        break;
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw badFile();
    } finally {
      source.destroy();
    }
    if (!chosen) throw new AppError("INVALID", { key: "errors.import.noSheet", values: { sheet: opts.sheet ?? "" } });
    opts.onProgress?.({ done: declared, total: declared });
    return { sheets, sheet: chosen, encoding: "XLSX", rows };
  } finally {
    zip.close();
  }
}
