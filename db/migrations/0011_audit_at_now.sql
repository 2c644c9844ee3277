-- The chain trigger of 0001, made to trust its caller less.
--
-- `at` is the database's clock, whatever the insert says: "as of" figures rebuild the past from the
-- entries after a moment, so an entry the application could backdate would hide a change. It is
-- the transaction's time, now(), rather than clock_timestamp(): the rows a write stamps with now()
-- (a stage event's recorded_at, a tranche's verified_at, …) and all of its audit entries then carry
-- one instant, so a moment is never inside a write — it is wholly before or wholly after — and a
-- stage event can be told apart by the entries of its own transaction. `db restore` runs with
-- triggers off (session_replication_role = replica) and keeps the stored times.
--
-- Appending is refused under REPEATABLE READ and SERIALIZABLE: there the read of the last hash sees
-- the transaction's snapshot, even after the lock is taken, so an entry another session committed
-- meanwhile would be linked past and the chain would fork. Under READ COMMITTED each statement of
-- this function sees everything committed before it, and the lock orders the writers.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE prev text;
BEGIN
  IF current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN
    RAISE EXCEPTION 'audit_log: entries are appended in READ COMMITTED transactions only, not in % (the last hash read in a snapshot may be stale and the chain would fork)',
      upper(current_setting('transaction_isolation'))
      USING ERRCODE = 'invalid_transaction_state';
  END IF;
  PERFORM pg_advisory_xact_lock(727001);
  SELECT hash INTO prev FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.at := now();
  NEW.seq := nextval('audit_log_seq');
  NEW.prev_hash := coalesce(prev, repeat('0', 64));
  NEW.hash := audit_log_hash(NEW.prev_hash, NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type,
                             NEW.entity_id, NEW.unit_id, NEW.before, NEW.after);
  RETURN NEW;
END $$;
