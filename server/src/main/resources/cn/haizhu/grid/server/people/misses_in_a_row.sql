-- Whether the user's latest lookups (as many as $2) all found nobody, and no such alert was raised
-- for the user within the last hour.
SELECT count(*) = $2 AND bool_and(row_count = 0)
       AND NOT EXISTS (SELECT 1 FROM security_alert s WHERE s.user_id = $1 AND s.kind = 'lookup_misses'
                                                        AND s.at > now() - interval '1 hour') AS alert
FROM (SELECT a.row_count FROM pii_audit a WHERE a.user_id = $1 AND a.action = 'lookup'
      ORDER BY a.at DESC, a.id DESC LIMIT $2) latest
