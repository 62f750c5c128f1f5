-- From here on the stored hashes are (becoming) under this key, and imports of persons wait.
INSERT INTO pii_key_state (current_key_id, reencrypting) VALUES (?, true)
ON CONFLICT (singleton) DO UPDATE SET current_key_id = EXCLUDED.current_key_id, reencrypting = true, changed_at = now()
