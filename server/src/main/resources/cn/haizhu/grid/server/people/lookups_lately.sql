-- The user's lookups of the last hour and day, and in how many seconds the oldest of the last hour
-- leaves it. Run after lock_lookups.sql, so a burst of parallel lookups cannot slip past the budget.
SELECT count(*) FILTER (WHERE a.at > now() - interval '1 hour') AS last_hour,
       count(*) AS last_day,
       extract(epoch FROM min(a.at) FILTER (WHERE a.at > now() - interval '1 hour') + interval '1 hour' - now())::bigint
           AS hour_frees_in
FROM pii_audit a
WHERE a.user_id = $1 AND a.action = 'lookup' AND a.at > now() - interval '1 day'
