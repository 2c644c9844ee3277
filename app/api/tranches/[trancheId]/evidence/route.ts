import { connection } from "next/server";
import { getDb } from "@/db";
import { getActor, getRequestLocale } from "@/server/auth/session";
import { can } from "@/server/auth/permissions";
import { addEvidence, EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES } from "@/server/funds/evidence";
import { isSameOrigin } from "@/server/lib/http";
import { errorResponse } from "@/server/lib/route-errors";
import { AppError } from "@/server/lib/errors";

/** Upload evidence files (multipart field "file", repeatable) to a pending tranche. */
export async function POST(req: Request, { params }: { params: Promise<{ trancheId: string }> }) {
  await connection();
  const locale = await getRequestLocale();
  if (!isSameOrigin(req)) return new Response("Forbidden", { status: 403 });
  const actor = await getActor();
  if (!actor) return errorResponse(new AppError("UNAUTHORIZED", { key: "errors.unauthorized" }), locale);
  if (!can(actor.role, "tranche.report")) return errorResponse(new AppError("FORBIDDEN", { key: "errors.forbidden" }), locale);
  // refuse oversized bodies before reading them
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > EVIDENCE_MAX_BYTES * EVIDENCE_MAX_FILES + 64 * 1024)
    return errorResponse(new AppError("INVALID", { key: "errors.evidence.tooLarge", values: { name: "", mb: EVIDENCE_MAX_BYTES / 1024 / 1024 } }), locale);
  try {
    const { trancheId } = await params;
    const form = await req.formData();
    const files = await Promise.all(
      form.getAll("file").filter((f): f is File => typeof f === "object" && "arrayBuffer" in f).map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const saved = await addEvidence(await getDb(), actor, trancheId, files);
    return Response.json({ files: saved }, { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    return errorResponse(err, locale);
  }
}
