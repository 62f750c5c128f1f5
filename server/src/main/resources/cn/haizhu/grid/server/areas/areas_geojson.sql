-- The same areas as areas.sql, as one GeoJSON FeatureCollection built in PostGIS.
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', code,
    'properties', json_build_object('code', code, 'level', level, 'name', name,
                                    'parentCode', parent_code, 'streetCode', street_code,
                                    'areaKm2', round((area_m2 / 1e6)::numeric, 3)),
    'geometry', ST_AsGeoJSON(geom, 6)::json) ORDER BY code), '[]'::json))::text
FROM admin_area
WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR parent_code = $2)
