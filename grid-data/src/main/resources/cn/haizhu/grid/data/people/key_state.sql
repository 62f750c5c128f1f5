-- The id of the key the stored hashes are under, and whether a re-encryption is under way.
SELECT current_key_id, reencrypting, changed_at FROM pii_key_state
