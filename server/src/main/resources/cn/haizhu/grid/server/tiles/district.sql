-- district: the outline of the district (everyone's orientation; row-level security shows it to every scope).
-- $1 z, $2 x, $3 y. The && test uses the envelope grown by the 64-pixel buffer, as ST_AsMVTGeom clips to it.
SELECT ST_AsMVT(t, 'district', 4096, 'geom')
FROM (
    SELECT ST_AsMVTGeom(a.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           a.code, a.name
    FROM admin_area a
    WHERE a.level IN ('city', 'district')
      AND a.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)
    LIMIT 10
) t
WHERE t.geom IS NOT NULL
