-- The running servers' key listeners in this database: application_name is 'gridctl-keys <current key id>'.
SELECT pid, application_name, backend_start FROM pg_stat_activity
WHERE datname = current_database() AND starts_with(application_name, ?)
ORDER BY backend_start
