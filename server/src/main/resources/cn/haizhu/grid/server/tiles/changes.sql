-- Every changed box from the cursor ($1, a transaction id) up to the fence of this snapshot, at most
-- $2 rows; a row with the fence alone when there is none. For the server's own eviction loop, which
-- runs as the owner, without a data scope.
WITH f AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS fence)
SELECT f.fence::text AS fence, d.layer, d.at,
       ST_XMin(d.bbox) AS min_x, ST_YMin(d.bbox) AS min_y, ST_XMax(d.bbox) AS max_x, ST_YMax(d.bbox) AS max_y
FROM f LEFT JOIN tile_dirty d ON d.txid >= $1::text::xid8 AND d.txid < f.fence
ORDER BY d.txid, d.id
LIMIT $2
