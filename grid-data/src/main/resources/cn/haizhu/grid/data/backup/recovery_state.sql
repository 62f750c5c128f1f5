-- Whether a restored cluster still replays WAL, and the commit time of the last transaction it replayed.
SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), pg_last_wal_replay_lsn()::text
