-- enterprises: enterprise points (法人单位) from z14, with credit code, name and industry. $1 z, $2 x, $3 y.
SELECT ST_AsMVT(t, 'enterprises', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(e.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           e.credit_code, e.name, e.industry
    FROM enterprise e
    WHERE e.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    LIMIT 10000
) t
WHERE t.geom IS NOT NULL
