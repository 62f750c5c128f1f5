-- Open and overdue cases per street for /metrics (DatabaseGauges), as the owner: every street of this
-- node. Only open cases are read (civic_case_open_deadline holds them); a case outside every street
-- counts under 'none'. The street's name rides along for the dashboard.
SELECT coalesce(c.street_code, 'none') AS street, coalesce(a.name, '') AS name,
       count(*) AS open, count(*) FILTER (WHERE c.deadline < now()) AS overdue
FROM civic_case c
LEFT JOIN admin_area a ON a.code = c.street_code
WHERE c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')
GROUP BY 1, 2
