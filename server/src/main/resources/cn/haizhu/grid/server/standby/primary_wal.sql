-- Where the primary's WAL is now, in bytes from the start: what the standby must have replayed to
-- hold everything committed until this moment.
SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS written
