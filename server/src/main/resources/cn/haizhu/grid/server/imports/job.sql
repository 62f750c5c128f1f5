-- One import job by id, if its submitter is $2 (or $2 is null: a district officer sees everyone's), as
-- jobs.sql shows it.
SELECT id, dataset, file_name, file_sha256, file_bytes, format, submitted_by, status, phase, rows_read,
       rows_inserted, rows_updated, rows_unchanged, rows_rejected, rows_warned, message, started_at, finished_at,
       (status = 'running' AND heartbeat_at < now() - interval '30 seconds') AS stale
FROM import_job WHERE id = $1 AND ($2::text IS NULL OR submitted_by = $2)
