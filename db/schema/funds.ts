import { relations, sql } from "drizzle-orm";
import { customType, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, version } from "./_helpers";
import { trancheStatusEnum } from "./enums";
import { projects } from "./projects";
import { users } from "./users";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const tranches = pgTable(
  "tranches",
  {
    id: id(),
    projectId: uuid("project_id").notNull().references(() => projects.id),
    amount: money("amount").notNull(), // in the project's currency
    arrivedOn: date("arrived_on", { mode: "string" }).notNull(),
    evidenceNo: text("evidence_no"),
    // the evidence number as numbers are compared (trimmed, NFKC, lower case; null when blank), kept
    // by the trigger tranches_evidence_key (migration 0009) so the duplicate-evidence flag uses an index
    evidenceKey: text("evidence_key"),
    note: text("note"),
    status: trancheStatusEnum("status").notNull().default("pending"),
    reportedBy: uuid("reported_by").references(() => users.id),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull().defaultNow(),
    verifiedBy: uuid("verified_by").references(() => users.id),
    verifiedAt: timestamp("verified_at", { withTimezone: true }), // when verified or rejected
    rejectReason: text("reject_reason"),
    // a client-generated key: submitting the same form twice creates one tranche
    requestKey: text("request_key"),
    ...timestamps(),
    version: version(),
  },
  (t) => [
    index("tranches_project_idx").on(t.projectId, t.status),
    index("tranches_arrived_idx").on(t.arrivedOn, t.status),
    index("tranches_reported_by_idx").on(t.reportedBy),
    index("tranches_verified_by_idx").on(t.verifiedBy),
    index("tranches_evidence_idx").on(t.evidenceNo),
    index("tranches_evidence_key_idx").on(t.evidenceKey),
    uniqueIndex("tranches_request_key_idx").on(t.requestKey),
    // the backdated flag (server/flags/rules.ts): tranches recorded late, by the China date of the
    // recording (the very expression of the rule, or the index is not used; not partial, so its
    // statistics are used) …
    index("tranches_report_days_idx").on(sql`(((${t.reportedAt} at time zone 'UTC') + interval '8 hours')::date - ${t.arrivedOn})`),
    // … and the others recorded after a lock of their arrival day: one seek per locked day
    index("tranches_arrived_reported_idx")
      .on(t.arrivedOn, t.reportedAt, sql`(((${t.reportedAt} at time zone 'UTC') + interval '8 hours')::date - ${t.arrivedOn})`)
      .where(sql`${t.status} <> 'rejected'`),
    // verified funds per project (over_signed, 三未, funds in place) from the index alone
    index("tranches_verified_amount_idx").on(t.projectId, t.amount).where(sql`${t.status} = 'verified'`),
  ],
);

// Evidence files live in the database so that a backup carries them.
export const evidenceFiles = pgTable(
  "evidence_files",
  {
    id: id(),
    trancheId: uuid("tranche_id").notNull().references(() => tranches.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    mimeType: text("mime_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("evidence_files_tranche_idx").on(t.trancheId), index("evidence_files_uploaded_by_idx").on(t.uploadedBy)],
);

export const tranchesRelations = relations(tranches, ({ one, many }) => ({
  project: one(projects, { fields: [tranches.projectId], references: [projects.id] }),
  files: many(evidenceFiles),
}));
export const evidenceFilesRelations = relations(evidenceFiles, ({ one }) => ({
  tranche: one(tranches, { fields: [evidenceFiles.trancheId], references: [tranches.id] }),
}));
