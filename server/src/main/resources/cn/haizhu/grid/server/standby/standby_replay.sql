-- How far the standby has replayed, in bytes from the start of the WAL; a node that is not in
-- recovery (promoted, or a primary named by mistake) is no standby to measure.
SELECT pg_is_in_recovery() AS recovery, (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS replayed
