-- One grid for its panel: names, counts, the workers on duty (phones masked), geometry.
SELECT g.code, g.name, g.community_code, c.name AS community_name, g.street_code, st.name AS street_name,
       round((g.area_m2 / 1e6)::numeric, 4) AS area_km2,
       coalesce(s.house_count, 0) AS houses, coalesce(s.person_count, 0) AS persons,
       coalesce(s.enterprise_count, 0) AS enterprises,
       ST_AsGeoJSON(g.geom, 6)::text AS geometry,
       (SELECT coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, 'phone', w.phone_masked, 'duty', wg.duty)
                                 ORDER BY w.id), '[]'::json)::text
        FROM grid_worker_grid wg JOIN grid_worker w ON w.id = wg.worker_id
        WHERE wg.grid_code = g.code AND w.active) AS workers
FROM grid g
LEFT JOIN grid_stats s ON s.grid_code = g.code
LEFT JOIN admin_area c ON c.code = g.community_code
LEFT JOIN admin_area st ON st.code = g.street_code
WHERE g.code = $1
