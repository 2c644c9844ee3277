-- Tamper-evident audit log: every row carries the hash of the previous one. The chain is
-- assigned here, under one advisory lock, so concurrent writers cannot fork it, and rows can be
-- neither changed nor removed afterwards.
CREATE SEQUENCE IF NOT EXISTS audit_log_seq;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_hash(
  prev text, seq bigint, at timestamptz, actor uuid, action text, entity_type text, entity_id text,
  unit uuid, before jsonb, after jsonb
) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws('|',
    prev, seq::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(actor::text, ''), action, entity_type, entity_id, coalesce(unit::text, ''),
    coalesce(before::text, 'null'), coalesce(after::text, 'null')), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE prev text;
BEGIN
  PERFORM pg_advisory_xact_lock(727001);
  SELECT hash INTO prev FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.seq := nextval('audit_log_seq');
  NEW.prev_hash := coalesce(prev, repeat('0', 64));
  NEW.hash := audit_log_hash(NEW.prev_hash, NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type,
                             NEW.entity_id, NEW.unit_id, NEW.before, NEW.after);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
