-- Keeps the event log to its window ($1 seconds, at most $2 events): the rows deleted, or null when
-- another instance is pruning (R__events_functions.sql).
SELECT gridctl_events_prune(make_interval(secs => $1), $2) AS deleted
