-- The latest import jobs, at most $1: everyone's ($2 null, for a district officer) or those one officer
-- submitted. stale: a job still "running" whose importer stopped beating (it was interrupted).
SELECT id, dataset, file_name, file_sha256, file_bytes, format, submitted_by, status, phase, rows_read,
       rows_inserted, rows_updated, rows_unchanged, rows_rejected, rows_warned, message, started_at, finished_at,
       (status = 'running' AND heartbeat_at < now() - interval '30 seconds') AS stale
FROM import_job WHERE ($2::text IS NULL OR submitted_by = $2) ORDER BY started_at DESC LIMIT $1
