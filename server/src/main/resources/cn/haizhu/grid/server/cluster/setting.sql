-- The value in force of a setting, and whether a changed value waits for a restart.
SELECT setting, pending_restart FROM pg_settings WHERE name = ?
