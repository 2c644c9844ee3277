ALTER TABLE "period_locks" ADD COLUMN "audit_head_seq" bigint;--> statement-breakpoint
ALTER TABLE "period_locks" ADD COLUMN "audit_head_hash" text;--> statement-breakpoint
ALTER TABLE "published_figures" ADD COLUMN "audit_head_seq" bigint;--> statement-breakpoint
ALTER TABLE "published_figures" ADD COLUMN "audit_head_hash" text;