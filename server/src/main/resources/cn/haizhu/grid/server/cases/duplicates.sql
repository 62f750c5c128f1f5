-- Possible duplicates of a case: same category, still open, within 50 m (the box is an index filter,
-- the distance is geodesic). The box is made first, in its own CTE: under row-level security only a
-- leakproof condition may drive an index scan, and c.geom && me.box is one where c.geom && ST_Expand(…)
-- is not; so the open cases' GiST index (civic_case_open_geom) answers instead of a scan of every open
-- case (measured on 1 M cases: 0.1 ms against 35 ms). The index holds the category too (V16). 0.0005°
-- is at least 50 m both ways at the district's latitude (51 m east–west, 55 m north–south), so the box
-- holds the whole circle and little more.
WITH me AS MATERIALIZED (SELECT gid, category_code, geom, ST_Expand(geom, 0.0005) AS box
                         FROM civic_case WHERE gid = $1)
SELECT
{case_columns}
     , ST_Distance(c.geom::geography, me.geom::geography) AS distance_m
FROM me JOIN civic_case c ON c.gid <> me.gid AND c.category_code = me.category_code
    AND c.geom && me.box AND ST_DWithin(c.geom::geography, me.geom::geography, 50)
    AND c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')
LEFT JOIN grid_worker w ON w.id = c.assignee_id
ORDER BY distance_m, c.created_at
LIMIT 20
