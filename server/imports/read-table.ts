// A spreadsheet file (CSV in UTF-8 or GB18030/GBK, or XLSX) as rows of text cells, with guards
// against oversized files and zip bombs checked before anything is expanded.
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";
import iconv from "iconv-lite";
import yauzl from "yauzl";
import { AppError } from "@/server/lib/errors";
import { IMPORT_LIMITS } from "@/lib/import-columns";

export { IMPORT_LIMITS };

export type TTable = { sheets: string[]; sheet: string | null; encoding: string; header: string[]; rows: Array<{ row: number; cells: string[] }> };

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

/** Sum of the entries' declared sizes, read from the zip's central directory without inflating. */
function zipExpandedSize(bytes: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("not a zip"));
      let total = 0;
      zip.on("entry", (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        zip.readEntry();
      });
      zip.on("end", () => resolve(total));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

const tooBig = () => new AppError("INVALID", { key: "errors.import.tooLarge", values: { mb: IMPORT_LIMITS.maxBytes / 1024 / 1024 } });

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

export async function readTable(bytes: Uint8Array, opts: { sheet?: string | null } = {}): Promise<TTable> {
  if (bytes.byteLength > IMPORT_LIMITS.maxBytes) throw tooBig();
  if (bytes.byteLength === 0) throw new AppError("INVALID", { key: "errors.import.empty" });
  if (isZip(bytes)) {
    const expanded = await zipExpandedSize(bytes).catch(() => {
      throw new AppError("INVALID", { key: "errors.import.badFile" });
    });
    if (expanded > IMPORT_LIMITS.maxUncompressedBytes || expanded > bytes.byteLength * IMPORT_LIMITS.maxCompressionRatio)
      throw new AppError("INVALID", { key: "errors.import.zipBomb" });
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    } catch {
      throw new AppError("INVALID", { key: "errors.import.badFile" });
    }
    const sheets = wb.worksheets.map((w) => w.name);
    const ws = opts.sheet ? wb.getWorksheet(opts.sheet) : wb.worksheets[0];
    if (!ws) throw new AppError("INVALID", { key: "errors.import.noSheet", values: { sheet: opts.sheet ?? "" } });
    const all: Array<{ row: number; cells: string[] }> = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value).trim());
      if (cells.some((x) => x !== "")) all.push({ row: rowNumber, cells });
    });
    return finish(all, sheets, ws.name, "XLSX");
  }
  const { text, encoding } = decodeText(bytes);
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch {
    throw new AppError("INVALID", { key: "errors.import.badCsv" });
  }
  const all = records.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) })).filter((r) => r.cells.some((c) => c !== ""));
  return finish(all, [], null, encoding);
}

function finish(all: Array<{ row: number; cells: string[] }>, sheets: string[], sheet: string | null, encoding: string): TTable {
  const [header, ...rows] = all;
  if (!header) throw new AppError("INVALID", { key: "errors.import.empty" });
  if (rows.length > IMPORT_LIMITS.maxRows) throw new AppError("INVALID", { key: "errors.import.tooManyRows", values: { max: IMPORT_LIMITS.maxRows } });
  return { sheets, sheet, encoding, header: header.cells, rows };
}
