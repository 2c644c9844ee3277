ALTER TABLE "tranches" ADD COLUMN "evidence_key" text;--> statement-breakpoint
CREATE INDEX "tranches_evidence_key_idx" ON "tranches" USING btree ("evidence_key");