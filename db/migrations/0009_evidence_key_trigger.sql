-- tranches.evidence_key: the evidence number as the duplicate-evidence flag compares numbers —
-- trimmed, NFKC (full-width digits typed on a Chinese keyboard) and lower case; null when blank.
-- Kept by a trigger so every writer (forms, imports, restores of older backups then migrated)
-- gets it, and indexed (migration 0008) so the flag reads only the numbers it is asked about.
CREATE OR REPLACE FUNCTION tranche_evidence_key(evidence_no text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT nullif(lower(regexp_replace(normalize(evidence_no, NFKC), '^[[:space:]]+|[[:space:]]+$', '', 'g')), '')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION tranches_evidence_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.evidence_key := tranche_evidence_key(NEW.evidence_no);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER tranches_evidence_key BEFORE INSERT OR UPDATE OF evidence_no, evidence_key ON tranches
  FOR EACH ROW EXECUTE FUNCTION tranches_evidence_key();
--> statement-breakpoint
UPDATE tranches SET evidence_key = tranche_evidence_key(evidence_no) WHERE evidence_no IS NOT NULL;
