-- The grids of grids.sql, all of them, as one GeoJSON FeatureCollection built in PostGIS.
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', g.code,
    'properties', json_build_object('code', g.code, 'name', g.name, 'communityCode', g.community_code,
                                    'streetCode', g.street_code,
                                    'areaKm2', round((g.area_m2 / 1e6)::numeric, 4),
                                    'houses', coalesce(s.house_count, 0),
                                    'persons', coalesce(s.person_count, 0),
                                    'enterprises', coalesce(s.enterprise_count, 0)),
    'geometry', ST_AsGeoJSON(g.geom, 6)::json) ORDER BY g.code), '[]'::json))::text
FROM grid g LEFT JOIN grid_stats s ON s.grid_code = g.code
WHERE ($1::text IS NULL OR g.street_code = $1) AND ($2::text IS NULL OR g.community_code = $2)
