-- Open and overdue cases per grid.
SELECT c.grid_code, count(*) AS open, count(*) FILTER (WHERE c.deadline < now()) AS overdue
FROM civic_case c
WHERE c.grid_code IS NOT NULL AND c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')
GROUP BY c.grid_code
ORDER BY c.grid_code
