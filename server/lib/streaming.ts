import { PassThrough, Readable } from "node:stream";
import { logger } from "./logger";

/**
 * A download whose body is produced by `fill` writing into a Node stream: the browser reads it as
 * it is written (backpressure included), and a failure mid-way aborts the download instead of
 * delivering a truncated file that looks complete.
 */
export function streamedDownload(fill: (out: PassThrough) => Promise<unknown>, headers: Record<string, string>) {
  const out = new PassThrough();
  fill(out).catch((err) => {
    logger.error({ err }, "export failed");
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers },
  });
}

export const attachment = (filename: string) => `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`;

export const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
