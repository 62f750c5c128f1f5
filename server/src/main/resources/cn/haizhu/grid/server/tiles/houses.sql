-- houses: house points (房屋) from z15, with code, use and grid code. $1 z, $2 x, $3 y.
-- The cap bounds the worst tile (the densest blocks); the wall shows grid counts below z15.
SELECT ST_AsMVT(t, 'houses', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(h.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           h.code, h.use, h.grid_code
    FROM house h
    WHERE h.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    LIMIT 20000
) t
WHERE t.geom IS NOT NULL
