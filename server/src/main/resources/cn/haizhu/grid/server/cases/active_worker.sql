-- Whether an assignee is an active grid worker the caller can see.
SELECT id FROM grid_worker WHERE id = $1 AND active
