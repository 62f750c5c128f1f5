-- Service requests (cases) in the caller's scope, the newest first, at most 1,000: those of the listed
-- numbers ($1), or else by service codes ($2, null: any), intake between $3 and $4, and status ($5: open,
-- closed or null, with $6 the states called closed). last_reply: the latest public reply, the comment of
-- an action among $7 (PublicHistory).
SELECT c.gid, c.case_number, c.state, c.category_code, c.title, c.description, c.address, c.media_url,
       ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.department_code, c.created_at, c.updated_at, c.deadline,
       (SELECT e.comment FROM case_event e WHERE e.case_gid = c.gid AND e.comment IS NOT NULL
          AND e.action = ANY ($7) ORDER BY e.seq DESC LIMIT 1) AS last_reply
FROM civic_case c
WHERE CASE WHEN $1::text[] IS NOT NULL THEN c.case_number = ANY ($1)
           ELSE ($2::text[] IS NULL OR c.category_code = ANY ($2))
                AND c.created_at >= $3 AND c.created_at <= $4
                AND ($5::text IS NULL OR (c.state = ANY ($6)) = ($5 = 'closed')) END
ORDER BY c.created_at DESC
LIMIT 1000
