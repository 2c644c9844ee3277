CREATE INDEX "tranches_report_days_idx" ON "tranches" USING btree (((("reported_at" at time zone 'UTC') + interval '8 hours')::date - "arrived_on"));--> statement-breakpoint
CREATE INDEX "tranches_arrived_reported_idx" ON "tranches" USING btree ("arrived_on","reported_at",((("reported_at" at time zone 'UTC') + interval '8 hours')::date - "arrived_on")) WHERE "tranches"."status" <> 'rejected';
