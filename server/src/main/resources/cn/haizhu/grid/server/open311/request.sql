-- One service request by its number (the case number) in the caller's scope, with its latest public
-- reply (the comment of an action among $2, PublicHistory).
SELECT c.gid, c.case_number, c.state, c.category_code, c.title, c.description, c.address, c.media_url,
       ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.department_code, c.created_at, c.updated_at, c.deadline,
       (SELECT e.comment FROM case_event e WHERE e.case_gid = c.gid AND e.comment IS NOT NULL
          AND e.action = ANY ($2) ORDER BY e.seq DESC LIMIT 1) AS last_reply
FROM civic_case c WHERE c.case_number = $1
