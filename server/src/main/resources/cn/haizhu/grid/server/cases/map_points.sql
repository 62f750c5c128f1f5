-- The open cases as the wall draws them, the newest first, at most $1, and how many are open in all.
SELECT c.gid, c.case_number, c.state, c.category_code, left(c.title, 100) AS title, c.urgency,
       c.grid_code, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.deadline, c.escalation_level,
       c.deadline < now() AS overdue, c.created_at, count(*) OVER () AS total
FROM civic_case c
WHERE c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')
ORDER BY c.created_at DESC, c.gid
LIMIT $1
