UPDATE grid_worker w SET user_id = u.id
FROM app_user u
WHERE u.username = 'worker'
  AND w.id = (SELECT wg.worker_id FROM grid_worker_grid wg
              WHERE wg.grid_code = split_part(u.scope_code, ',', 1) ORDER BY wg.worker_id LIMIT 1)
  AND w.user_id IS DISTINCT FROM u.id
  AND NOT EXISTS (SELECT 1 FROM grid_worker o WHERE o.user_id = u.id)
