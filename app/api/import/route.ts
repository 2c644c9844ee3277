import { connection } from "next/server";
import { getDb } from "@/db";
import { getActor, getRequestLocale } from "@/server/auth/session";
import { IMPORT_KINDS, type TImportKind } from "@/server/imports/columns";
import { importFile } from "@/server/imports/import-file";
import { localizeImportResult } from "@/server/imports/localize";
import { IMPORT_LIMITS } from "@/server/imports/read-table";
import { AppError } from "@/server/lib/errors";
import { isSameOrigin } from "@/server/lib/http";
import { translate } from "@/server/lib/i18n";
import { logger } from "@/server/lib/logger";
import { errorResponse } from "@/server/lib/route-errors";

/**
 * POST /api/import (multipart: kind, file, sheet?, dryRun=1|0). Answers a stream of JSON lines:
 * progress events while the file is read, validated and written, then the result.
 */
export async function POST(req: Request) {
  await connection();
  const locale = await getRequestLocale();
  if (!isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  const actor = await getActor();
  if (!actor) return errorResponse(new AppError("UNAUTHORIZED", { key: "errors.unauthorized" }), locale);
  if (Number(req.headers.get("content-length") ?? 0) > IMPORT_LIMITS.maxBytes + 64 * 1024)
    return errorResponse(new AppError("INVALID", { key: "errors.import.tooLarge", values: { mb: IMPORT_LIMITS.maxBytes / 1024 / 1024 } }), locale);
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return errorResponse(new AppError("INVALID", { key: "errors.import.badFile" }), locale);
  }
  const kind = String(form.get("kind")) as TImportKind;
  const file = form.get("file");
  if (!IMPORT_KINDS.includes(kind) || !file || typeof file === "string") return errorResponse(new AppError("INVALID", { key: "errors.import.badFile" }), locale);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sheet = (form.get("sheet") as string | null) || null;
  const dryRun = form.get("dryRun") !== "0";
  const db = await getDb();

  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (o: unknown) => controller.enqueue(enc.encode(`${JSON.stringify(o)}\n`));
      try {
        const result = await importFile(db, actor, { kind, bytes, sheet, dryRun, onProgress: (p) => send({ type: "progress", ...p }) });
        send({ type: "result", result: localizeImportResult(result, locale) });
      } catch (err) {
        if (!(err instanceof AppError)) logger.error({ err }, "import failed");
        const message = err instanceof AppError ? translate(locale, err.msg.key, err.msg.values) : translate(locale, "errors.internal");
        send({ type: "error", message, code: err instanceof AppError ? err.code : "INTERNAL" });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
}
