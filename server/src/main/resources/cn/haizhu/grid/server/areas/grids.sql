-- A page of unit grids of a street and/or community (the filter of grid_count.sql), with their counts.
-- label: a point surely inside the grid, where the wall writes or finds it.
SELECT g.code, g.name, g.community_code, g.street_code, round((g.area_m2 / 1e6)::numeric, 4) AS area_km2,
       coalesce(s.house_count, 0) AS houses, coalesce(s.person_count, 0) AS persons,
       coalesce(s.enterprise_count, 0) AS enterprises,
       ST_X(p.point) AS label_lon, ST_Y(p.point) AS label_lat
FROM grid g LEFT JOIN grid_stats s ON s.grid_code = g.code, LATERAL ST_PointOnSurface(g.geom) p (point)
WHERE ($1::text IS NULL OR g.street_code = $1) AND ($2::text IS NULL OR g.community_code = $2)
 ORDER BY g.code LIMIT $3 OFFSET $4
