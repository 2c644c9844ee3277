import { connection } from "next/server";
import { getDb } from "@/db";
import { getActor, getRequestLocale } from "@/server/auth/session";
import { can } from "@/server/auth/permissions";
import { getEvidence } from "@/server/funds/evidence";
import { AppError } from "@/server/lib/errors";
import { errorResponse } from "@/server/lib/route-errors";
import { API_CONTENT_SECURITY_POLICY } from "@/server/lib/security-headers";

/** Download an evidence file of a project in the user's scope. */
export async function GET(_req: Request, { params }: { params: Promise<{ fileId: string }> }) {
  await connection();
  const locale = await getRequestLocale();
  const actor = await getActor();
  if (!actor) return errorResponse(new AppError("UNAUTHORIZED", { key: "errors.unauthorized" }), locale);
  if (!can(actor.role, "tranche.read")) return errorResponse(new AppError("FORBIDDEN", { key: "errors.forbidden" }), locale);
  try {
    const file = await getEvidence(await getDb(), actor, (await params).fileId);
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": file.mimeType,
        "Content-Length": String(file.size),
        // PDFs and images open in the browser; the name is RFC 5987-encoded for Chinese file names
        "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        // the route handlers' policy, frame-ancestors 'none' included: the file opens as a page of
        // its own (a link, never an iframe), and no other site may frame a bank slip
        "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
      },
    });
  } catch (err) {
    return errorResponse(err, locale);
  }
}
