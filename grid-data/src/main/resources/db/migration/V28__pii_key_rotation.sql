-- Rotation of the personal-data key (docs/KEY-ROTATION.md).
--
-- The keys themselves never enter the database. What it keeps is the id of the key its keyed hashes
-- are under (person.id_number_hash is unique per key: the same ID number hashed under two keys gives
-- two values), so that a bulk import of persons, which deduplicates on that hash, runs only with the
-- database's key and never while a re-encryption is under way (KeyRotationState.java). Owner only:
-- request paths never write persons.
CREATE TABLE pii_key_state (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    current_key_id text NOT NULL CHECK (current_key_id ~ '^[0-9a-f]{8}$'),
    reencrypting   boolean NOT NULL DEFAULT false,
    changed_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pii_key_state IS 'Id (not the key) of the personal-data key the stored hashes are under, and whether a re-encryption runs';

-- Re-encrypting a person changes how its ID number and phone are stored, not the record: a
-- transaction that sets gridctl.rekey = 'on' (SET LOCAL, only ./gridctl pii-key reencrypt does)
-- neither bumps versions nor writes change-log entries, so peers do not re-fetch 1.58 M unchanged
-- persons after a rotation.
DROP TRIGGER version_bump ON person;
CREATE TRIGGER version_bump BEFORE UPDATE ON person FOR EACH ROW
    WHEN (current_setting('gridctl.rekey', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION person_version_bump();
DROP TRIGGER change_log_upd ON person;
CREATE TRIGGER change_log_upd AFTER UPDATE ON person REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    WHEN (current_setting('gridctl.rekey', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION change_log_capture();
