-- The replication slots on the primary, whether a standby uses each, and the WAL each holds back.
SELECT slot_name, active, wal_status,
       CASE WHEN restart_lsn IS NULL THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint END
FROM pg_replication_slots
ORDER BY slot_name
