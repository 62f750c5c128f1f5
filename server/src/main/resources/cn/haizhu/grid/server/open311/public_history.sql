-- The public history of a case: milestones only ($2), with the comment only where it is a public reply ($3).
SELECT action, to_state, at, CASE WHEN action = ANY ($3) THEN comment END AS comment
FROM case_event WHERE case_gid = $1 AND action = ANY ($2) ORDER BY seq
