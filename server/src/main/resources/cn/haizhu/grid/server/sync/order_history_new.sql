-- This node's case of an order (its number ?, sent to peer ?), when the handling's history row with gid ?
-- is not held yet.
SELECT k.gid FROM civic_case k
WHERE k.case_number = ? AND k.handling_node = ? AND NOT EXISTS (SELECT 1 FROM case_event e WHERE e.gid = ?::uuid)
