-- Where a part of an address lies among the standard addresses the caller sees: $1 the part as a LIKE
-- pattern (%part%, through the trigram index, V25), $2 the most houses looked at. Of the houses found, the
-- one nearest their centre: for one house that house, for a plot or a road a house on it near its middle
-- (never a point between houses, off the road). With how many were found (up to $2) and its address.
WITH found AS MATERIALIZED (
    SELECT h.geom, h.address FROM house h WHERE h.address LIKE $1 LIMIT $2
), centre AS (
    SELECT ST_Centroid(ST_Collect(geom)) AS pt, count(*) AS n FROM found
)
SELECT ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat, f.address, c.n
FROM found f CROSS JOIN centre c
ORDER BY f.geom <-> c.pt, f.address
LIMIT 1
