DROP INDEX "tranches_project_idx";--> statement-breakpoint
DROP INDEX "audit_entity_idx";--> statement-breakpoint
CREATE INDEX "tranches_project_idx" ON "tranches" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "audit_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","seq");