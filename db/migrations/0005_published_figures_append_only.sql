-- Published figures are frozen: like the audit log, rows can be added but never changed or
-- removed through the database (restore runs with triggers off, session_replication_role = replica).
CREATE OR REPLACE FUNCTION published_figures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published_figures is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER published_figures_no_update BEFORE UPDATE OR DELETE ON published_figures FOR EACH ROW EXECUTE FUNCTION published_figures_append_only();
--> statement-breakpoint
CREATE TRIGGER published_figures_no_truncate BEFORE TRUNCATE ON published_figures FOR EACH STATEMENT EXECUTE FUNCTION published_figures_append_only();
