-- communities: the 267 communities (社区) with code, name and street code. $1 z, $2 x, $3 y.
SELECT ST_AsMVT(t, 'communities', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(a.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           a.code, a.name, a.street_code
    FROM admin_area a
    WHERE a.level = 'community'
      AND a.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    LIMIT 2000
) t
WHERE t.geom IS NOT NULL
