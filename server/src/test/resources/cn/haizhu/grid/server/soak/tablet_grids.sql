-- The grids of the soak's tablets: ? of them spread over the district (every k-th grid by code),
-- each with houses to report cases at and a grid worker that no other login holds yet (the demo
-- worker's grid stays its own), or whose login is this grid's soak login from an earlier run.
WITH want AS (SELECT ?::int AS n)
SELECT code FROM (
    SELECT g.code, row_number() OVER (ORDER BY g.code) AS r, count(*) OVER () AS total
    FROM grid g
    WHERE EXISTS (SELECT 1 FROM house h WHERE h.grid_code = g.code)
      AND EXISTS (SELECT 1 FROM grid_worker_grid wg JOIN grid_worker w ON w.id = wg.worker_id
                  LEFT JOIN app_user u ON u.id = w.user_id
                  WHERE wg.grid_code = g.code AND (w.user_id IS NULL OR u.username = 'soak-' || g.code))
) x, want
WHERE (r - 1) % greatest(1, total / want.n) = 0
ORDER BY code
LIMIT (SELECT n FROM want)
