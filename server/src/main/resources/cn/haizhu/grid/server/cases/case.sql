-- One case by id as every view shows it (c the case, w its assignee; row-level security applies to
-- both), with whether the caller ($2) handled it (处置人不得核查).
SELECT
{case_columns}
     , EXISTS (SELECT 1 FROM case_event e WHERE e.case_gid = c.gid AND e.actor_user_id = $2
                                            AND e.action IN ('feedback', 'self_handle')) AS caller_handled
FROM civic_case c LEFT JOIN grid_worker w ON w.id = c.assignee_id
WHERE c.gid = $1
