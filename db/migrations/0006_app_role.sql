-- The application's own database role. Migrations (and `db restore`) run as the connecting role,
-- which owns the tables; every request and CLI command then works as zt_app (db/client.ts sets it
-- on each connection). zt_app owns nothing and is no superuser, so it cannot change or remove
-- audit entries or published figures, disable their triggers (ALTER TABLE needs the owner) or set
-- session_replication_role (superuser only) — whatever role DATABASE_URL names.
-- Roles are per server, not per database: an existing zt_app (another database of the same
-- server, or made by a DBA beforehand) is reused. Creating it needs CREATEROLE (or superuser).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zt_app') THEN
    CREATE ROLE zt_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- created meanwhile by the migration of another database on the same server
END $$;
--> statement-breakpoint
-- the connecting role may switch to it (SET ROLE); a superuser may anyway
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'zt_app', 'MEMBER') THEN
    EXECUTE format('GRANT zt_app TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO zt_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zt_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO zt_app;
--> statement-breakpoint
-- append-only tables: read and add, nothing else
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, published_figures FROM zt_app;
--> statement-breakpoint
-- tables and sequences of later migrations (run by the same owner) get the same grants
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zt_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO zt_app;
--> statement-breakpoint
-- the migration level, which backups record and restores compare
GRANT USAGE ON SCHEMA drizzle TO zt_app;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO zt_app;
