import { connection } from "next/server";
import { getDb } from "@/db";
import { parseProjectFilters } from "@/app/_lib/project-filters";
import { getActor, getRequestLocale } from "@/server/auth/session";
import { can } from "@/server/auth/permissions";
import { writeProjectsCsv, writeProjectsXlsx, writeStageReportCsv } from "@/server/exports/project-export";
import { AppError } from "@/server/lib/errors";
import { translate } from "@/server/lib/i18n";
import { errorResponse } from "@/server/lib/route-errors";
import { attachment, CONTENT_TYPES, streamedDownload } from "@/server/lib/streaming";
import { todayCN } from "@/lib/dates";

/**
 * GET /api/export/projects?format=csv|xlsx&kind=list|stage-report&<the project list's filters>
 * The list's filters and the user's scope apply; the file streams as it is written.
 */
export async function GET(req: Request) {
  await connection();
  const locale = await getRequestLocale();
  const actor = await getActor();
  if (!actor) return errorResponse(new AppError("UNAUTHORIZED", { key: "errors.unauthorized" }), locale);
  if (!can(actor.role, "export.read")) return errorResponse(new AppError("FORBIDDEN", { key: "errors.forbidden" }), locale);
  const url = new URL(req.url);
  const format = url.searchParams.get("format") === "csv" ? "csv" : "xlsx";
  const stageReport = url.searchParams.get("kind") === "stage-report";
  const { sort: _s, dir: _d, page: _p, pageSize: _z, ...filters } = parseProjectFilters(Object.fromEntries(url.searchParams));
  const db = await getDb();
  const name = `${translate(locale, stageReport ? "exports.stageReport" : "exports.projects")}-${actor.unitName}-${todayCN().replace(/-/g, "")}.${format}`;
  return streamedDownload(
    (out) =>
      format === "xlsx"
        ? writeProjectsXlsx(db, actor, filters, locale, out, { stageReport })
        : stageReport
          ? writeStageReportCsv(db, actor, filters, locale, out)
          : writeProjectsCsv(db, actor, filters, locale, out),
    { "Content-Type": CONTENT_TYPES[format], "Content-Disposition": attachment(name) },
  );
}
