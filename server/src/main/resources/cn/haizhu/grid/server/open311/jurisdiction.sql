-- This node's own area ($3: its code; the district outline at a district node) and whether the point
-- ($1 lon, $2 lat) lies in it; when it does not, how far from it in metres. No row: no outline loaded.
-- The city's and districts' outlines are every scope's (V34); a street node's own street is its users'.
SELECT a.name, i.inside,
       CASE WHEN i.inside THEN 0 ELSE ST_Distance(a.geom::geography, p.pt::geography) END AS distance_m
FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS pt) p
JOIN admin_area a ON a.code = $3
CROSS JOIN LATERAL (SELECT ST_Intersects(a.geom, p.pt) AS inside) i
