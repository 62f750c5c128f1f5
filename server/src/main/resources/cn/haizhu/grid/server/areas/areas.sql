-- Admin areas (district, streets, communities) of a level and/or under a parent, in the caller's scope.
-- label: where the wall writes the name, the centre of the largest circle inside the area (its pole of
-- inaccessibility), which stays inside concave shapes where a centroid would not.
SELECT code, level, name, parent_code, street_code, round((area_m2 / 1e6)::numeric, 3) AS area_km2,
       ST_X(l.center) AS label_lon, ST_Y(l.center) AS label_lat,
       ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
FROM admin_area, LATERAL ST_MaximumInscribedCircle(geom) l
WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR parent_code = $2)
ORDER BY code
