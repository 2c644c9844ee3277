import { createHash } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evidenceFiles, projects, tranches } from "@/db/schema";
import type { TActor } from "@/server/auth/actor";
import { writeAudit } from "@/server/audit/write-audit";
import { AppError, invalid, notFound } from "@/server/lib/errors";
import { projectInScope } from "@/server/projects/project-scope";
import { getTrancheRow } from "./tranches";

export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 10;

/** Bank receipts and capital verification reports: PDF or image, recognised by content, not name. */
export function sniffEvidenceType(b: Uint8Array): "application/pdf" | "image/png" | "image/jpeg" | "image/webp" | null {
  const starts = (...xs: number[]) => xs.every((x, i) => b[i] === x);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return "image/webp";
  return null;
}

const safeName = (name: string) =>
  name.normalize("NFC").replace(/[\u0000-\u001f\u007f/\\]/g, "_").replace(/^\.+/, "_").slice(0, 120) || "evidence";

/** Attach files to a tranche that still awaits verification (reporter's side: staff or admin). */
export async function addEvidence(db: Db, actor: TActor, trancheId: string, files: Array<{ name: string; bytes: Uint8Array }>) {
  if (!files.length) throw invalid({ file: "errors.evidence.none" });
  for (const f of files) {
    if (f.bytes.byteLength > EVIDENCE_MAX_BYTES) throw invalid({ file: { key: "errors.evidence.tooLarge", values: { name: safeName(f.name), mb: EVIDENCE_MAX_BYTES / 1024 / 1024 } } });
    if (f.bytes.byteLength === 0 || !sniffEvidenceType(f.bytes)) throw invalid({ file: { key: "errors.evidence.type", values: { name: safeName(f.name) } } });
  }
  return db.transaction(async (tx) => {
    const { tranche, project } = await getTrancheRow(tx, actor, trancheId);
    if (tranche.status !== "pending") throw new AppError("CONFLICT", { key: "errors.tranche.notPending" });
    const [existing] = await tx.select({ n: count() }).from(evidenceFiles).where(eq(evidenceFiles.trancheId, trancheId));
    if ((existing?.n ?? 0) + files.length > EVIDENCE_MAX_FILES) throw invalid({ file: { key: "errors.evidence.tooMany", values: { max: EVIDENCE_MAX_FILES } } });
    const rows = [];
    for (const f of files) {
      const content = Buffer.from(f.bytes);
      const [row] = await tx
        .insert(evidenceFiles)
        .values({
          trancheId,
          filename: safeName(f.name),
          mimeType: sniffEvidenceType(f.bytes)!,
          size: content.byteLength,
          sha256: createHash("sha256").update(content).digest("hex"),
          content,
          uploadedBy: actor.id,
        })
        .returning({ id: evidenceFiles.id, filename: evidenceFiles.filename, size: evidenceFiles.size, sha256: evidenceFiles.sha256, mimeType: evidenceFiles.mimeType });
      await writeAudit(tx, { actorId: actor.id, action: "evidence.add", entityType: "evidence", entityId: row!.id, unitId: project.unitId, after: { ...row, trancheId } });
      rows.push(row!);
    }
    return rows;
  });
}

/** A file, if its tranche's project is in scope; otherwise NOT_FOUND. */
export async function getEvidence(db: Db, actor: Pick<TActor, "unitPath">, fileId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(fileId)) throw notFound("evidence");
  const [row] = await db
    .select({ file: evidenceFiles })
    .from(evidenceFiles)
    .innerJoin(tranches, eq(tranches.id, evidenceFiles.trancheId))
    .innerJoin(projects, eq(projects.id, tranches.projectId))
    .where(and(eq(evidenceFiles.id, fileId), projectInScope(actor)));
  if (!row) throw notFound("evidence");
  return row.file;
}
