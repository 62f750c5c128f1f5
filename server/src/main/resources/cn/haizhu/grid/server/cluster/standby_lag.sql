-- On a standby: when it last replayed a transaction, how old that transaction is (no writes on the
-- primary also make it old), and the bytes received but not yet replayed.
SELECT pg_last_xact_replay_timestamp(),
       extract(epoch FROM now() - pg_last_xact_replay_timestamp()),
       -- a receiver that has just started reports where its streaming began, which may lie behind what
       -- was already replayed from local WAL (right after a rejoin): nothing is waiting then, not less
       greatest(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint,
       (SELECT status FROM pg_stat_wal_receiver)
