-- On the primary, per standby that streams from it: its name, state, sync state, how far behind it
-- writes, flushes and replays (as times, from the standby's last reports), and the bytes not yet replayed.
SELECT application_name, state, sync_state,
       extract(epoch FROM write_lag), extract(epoch FROM flush_lag), extract(epoch FROM replay_lag),
       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS replay_bytes,
       pg_wal_lsn_diff(pg_current_wal_lsn(), sent_lsn)::bigint AS unsent_bytes
FROM pg_stat_replication
ORDER BY application_name
