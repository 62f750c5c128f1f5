-- The dispatcher's queue: a page of cases by deadline, filtered ($1 to $8: queue_filter.sql), $9 rows
-- from $10 on.
SELECT
{case_columns}
FROM civic_case c LEFT JOIN grid_worker w ON w.id = c.assignee_id
{queue_filter}
ORDER BY c.deadline NULLS LAST, c.created_at, c.gid LIMIT $9 OFFSET $10
