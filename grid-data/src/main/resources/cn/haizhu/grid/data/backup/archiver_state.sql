-- Why archiving is stuck, when it is.
SELECT last_failed_wal, last_failed_time, last_archived_wal FROM pg_stat_archiver
