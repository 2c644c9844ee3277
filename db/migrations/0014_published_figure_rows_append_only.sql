-- The rows behind a publication are frozen like the record itself (0005): added with it, never
-- changed or removed through the database (restore runs with triggers off), and the application's
-- role may only read and add them (0006's default grants give it UPDATE and DELETE too).
CREATE OR REPLACE FUNCTION published_figure_rows_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published_figure_rows is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER published_figure_rows_no_update BEFORE UPDATE OR DELETE ON published_figure_rows FOR EACH ROW EXECUTE FUNCTION published_figure_rows_append_only();
--> statement-breakpoint
CREATE TRIGGER published_figure_rows_no_truncate BEFORE TRUNCATE ON published_figure_rows FOR EACH STATEMENT EXECUTE FUNCTION published_figure_rows_append_only();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON published_figure_rows FROM zt_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON published_figure_rows TO zt_app;
