-- The transaction-id fence of this read: changes of transactions below it can no longer commit or
-- abort, so a cursor never moves past a change that becomes visible later (ChangeLogReader).
SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS fence
