-- houses: house points (房屋) from z15, with code, use, grid code and how many houses the point stands for.
-- $1 z, $2 x, $3 y. Below z17 (TileLayers.HOUSES_ONE_BY_ONE) one point per location: the rooms of a
-- building share their building's point, so a z15 tile of them one by one repeated the same point
-- hundreds of times (up to 650 KB a tile on the full demo); the point keeps the lowest house code
-- (a click opens that house), the most frequent use and the count. From z17, one point per house.
-- The cap bounds the worst tile (the densest blocks); the wall shows grid counts below z15.
SELECT ST_AsMVT(t, 'houses', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(p.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           p.code, p.use, p.grid_code, p.houses
    FROM (
        SELECT h.geom_3857, min(h.code) AS code, mode() WITHIN GROUP (ORDER BY h.use) AS use, h.grid_code,
               count(*)::integer AS houses
        FROM house h
        WHERE $1 < 17
          AND h.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
        GROUP BY h.geom_3857, h.grid_code
        UNION ALL
        SELECT h.geom_3857, h.code, h.use, h.grid_code, 1
        FROM house h
        WHERE $1 >= 17
          AND h.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    ) p
    LIMIT 20000
) t
WHERE t.geom IS NOT NULL
