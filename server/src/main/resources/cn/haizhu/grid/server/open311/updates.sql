-- servicerequestupdates: the public milestones ($3, PublicHistory) of the cases in the caller's scope that
-- happened from $1 to $2, the oldest first, at most $5 (a client asks again from the last one's time). The
-- comment only where it is a public reply ($4). Through case_event_action (action, at), per milestone.
SELECT c.case_number, e.seq, e.action, e.to_state, e.at,
       CASE WHEN e.action = ANY ($4) THEN e.comment END AS comment
FROM case_event e
JOIN civic_case c ON c.gid = e.case_gid
WHERE e.action = ANY ($3) AND e.at >= $1 AND e.at <= $2
ORDER BY e.at, c.case_number, e.seq
LIMIT $5
