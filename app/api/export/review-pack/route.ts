import { connection } from "next/server";
import { getDb } from "@/db";
import { isValidPeriod } from "@/lib/periods";
import { getActor, getRequestLocale } from "@/server/auth/session";
import { can } from "@/server/auth/permissions";
import { headlineCsv, headlineXlsx } from "@/server/exports/headline-table";
import { computeHeadline } from "@/server/figures/headline";
import { AppError } from "@/server/lib/errors";
import { translate } from "@/server/lib/i18n";
import { errorResponse } from "@/server/lib/route-errors";
import { attachment, CONTENT_TYPES } from "@/server/lib/streaming";

/** GET /api/export/review-pack?unit=…&from=…&to=…[&asOf=…]&format=xlsx|csv — the 调度会 table. */
export async function GET(req: Request) {
  await connection();
  const locale = await getRequestLocale();
  const actor = await getActor();
  if (!actor) return errorResponse(new AppError("UNAUTHORIZED", { key: "errors.unauthorized" }), locale);
  if (!can(actor.role, "export.read") || !can(actor.role, "figures.read")) return errorResponse(new AppError("FORBIDDEN", { key: "errors.forbidden" }), locale);
  const q = new URL(req.url).searchParams;
  const period = { from: q.get("from") ?? "", to: q.get("to") ?? "" };
  if (!isValidPeriod(period)) return errorResponse(new AppError("INVALID", { key: "errors.period.order" }), locale);
  const asOfRaw = q.get("asOf");
  const asOf = asOfRaw && !Number.isNaN(Date.parse(asOfRaw)) ? new Date(asOfRaw) : null;
  try {
    const h = await computeHeadline(await getDb(), actor, { unit: q.get("unit") ?? actor.unitCode, ...period, asOf });
    const format = q.get("format") === "csv" ? "csv" : "xlsx";
    const body = format === "csv" ? headlineCsv(h, locale, { ranked: true }) : await headlineXlsx(h, locale, { ranked: true });
    const name = `${translate(locale, "headlineTable.reviewPack")}-${h.name}-${h.from}-${h.to}.${format}`;
    return new Response(typeof body === "string" ? body : new Uint8Array(body), {
      headers: { "Content-Type": CONTENT_TYPES[format], "Content-Disposition": attachment(name), "Cache-Control": "no-store" },
    });
  } catch (err) {
    return errorResponse(err, locale);
  }
}
