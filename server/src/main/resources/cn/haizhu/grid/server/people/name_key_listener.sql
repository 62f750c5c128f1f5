-- The key listener's connection names the key this server writes with ('gridctl-keys <key id>'), for
-- a re-encryption to see in pg_stat_activity (Reencryption.java).
SELECT set_config('application_name', $1, false)
