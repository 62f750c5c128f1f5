-- A soak tablet's login becomes its grid's worker (as the demo links its worker login): the grid's
-- cases are routed to that worker, so they land in the tablet's task list.
UPDATE grid_worker w SET user_id = u.id
FROM app_user u
WHERE u.username = ?
  AND w.id = (SELECT min(wg.worker_id) FROM grid_worker_grid wg WHERE wg.grid_code = ?)
  AND w.user_id IS DISTINCT FROM u.id
