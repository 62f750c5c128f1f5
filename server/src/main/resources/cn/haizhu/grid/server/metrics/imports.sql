-- Import jobs by dataset and state, and the rows of the jobs that wrote (a dry run writes none), for
-- /metrics (DatabaseGauges). Uploads and ./gridctl import alike: both record their job in import_job.
SELECT dataset, status, count(*) AS jobs,
       sum(rows_inserted) FILTER (WHERE status <> 'dry_run') AS inserted,
       sum(rows_updated) FILTER (WHERE status <> 'dry_run') AS updated,
       sum(rows_unchanged) FILTER (WHERE status <> 'dry_run') AS unchanged,
       sum(rows_rejected) FILTER (WHERE status <> 'dry_run') AS rejected,
       sum(rows_warned) FILTER (WHERE status <> 'dry_run') AS warned
FROM import_job
GROUP BY dataset, status
