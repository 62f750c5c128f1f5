-- streets: the 18 streets (街道) with code and name. $1 z, $2 x, $3 y.
SELECT ST_AsMVT(t, 'streets', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(a.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           a.code, a.name
    FROM admin_area a
    WHERE a.level = 'street'
      AND a.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    LIMIT 200
) t
WHERE t.geom IS NOT NULL
