-- grids: unit grids (单元网格) with the metrics the wall colours them by. Below the houses band these
-- counts stand in for the houses and residents themselves (grid_stats, refreshed after every load).
-- $1 z, $2 x, $3 y.
SELECT ST_AsMVT(t, 'grids', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(g.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           g.code, g.name, g.community_code, g.street_code,
           coalesce(s.person_count, 0)     AS residents,
           coalesce(s.house_count, 0)      AS houses,
           coalesce(s.enterprise_count, 0) AS enterprises,
           round(g.area_m2)::integer       AS area_m2,
           -- residents per km²
           round(coalesce(s.person_count, 0) * 1e6 / nullif(g.area_m2, 0))::integer AS density
    FROM grid g
    LEFT JOIN grid_stats s ON s.grid_code = g.code
    WHERE g.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    LIMIT 10000
) t
WHERE t.geom IS NOT NULL
