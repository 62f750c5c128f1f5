-- One admin area by code, with its bounding box and how many grids it holds.
SELECT a.code, a.level, a.name, a.parent_code, a.street_code, round((a.area_m2 / 1e6)::numeric, 3) AS area_km2,
       ST_AsGeoJSON(ST_Envelope(a.geom), 6)::json::text AS bbox,
       (SELECT count(*) FROM grid g WHERE g.community_code = a.code OR g.street_code = a.code
                                       OR a.level = 'district') AS grid_count
FROM admin_area a WHERE a.code = $1
