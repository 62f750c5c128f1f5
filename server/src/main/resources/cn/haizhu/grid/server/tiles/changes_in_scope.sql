-- changes.sql for a caller: the boxes of rows in their scope, by the rule row-level security applies to
-- the rows themselves (each box carries the street and grid of its rows, V26), and the district outline,
-- which everyone sees. A box of several grids of one street (a bulk change) goes to whoever sees a grid
-- of that street. A neighbouring street's boxes never come through, however close: a box overlapping
-- the caller's area is not the caller's change.
WITH f AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS fence)
SELECT f.fence::text AS fence, d.layer, d.at,
       ST_XMin(d.bbox) AS min_x, ST_YMin(d.bbox) AS min_y, ST_XMax(d.bbox) AS max_x, ST_YMax(d.bbox) AS max_y
FROM f LEFT JOIN tile_dirty d ON d.txid >= $1::text::xid8 AND d.txid < f.fence
    AND (d.layer = 'district'
         OR gridctl_scope_allows(d.street_code, d.grid_code)
         OR (d.grid_code IS NULL AND EXISTS (SELECT 1 FROM grid g WHERE g.street_code = d.street_code)))
ORDER BY d.txid, d.id
LIMIT $2
