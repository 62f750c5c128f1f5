-- The queue's filters, $1 to $8 of queue.sql and queue_count.sql: $1 states (null: any), $2 street,
-- $3 grid, $4 assignee id, $5 assigned to the caller ($6, a user id), $7 overdue only, $8 open only.
WHERE ($1::text[] IS NULL OR c.state = ANY ($1))
  AND ($2::text IS NULL OR c.street_code = $2)
  AND ($3::text IS NULL OR c.grid_code = $3)
  AND ($4::bigint IS NULL OR c.assignee_id = $4)
  AND (NOT $5 OR c.assignee_id = (SELECT id FROM grid_worker WHERE user_id = $6))
  AND (NOT $7 OR (c.deadline < now() AND c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')))
  AND (NOT $8 OR c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up'))
