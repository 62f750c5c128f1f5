-- One page of a collection's features, GeoJSON built here: one keyset scan on the collection's key
-- (never an offset), at most one row more than the page to tell whether there is a next one. The
-- slots: the collection's own query (streets.sql, houses.sql …), the geometry in the answer's CRS,
-- and the page's conditions (key, bbox, datetime), all built by ItemsSql; a CQL2 filter goes into the
-- collection's own query, over its table's columns.
SELECT f.id, json_build_object('type', 'Feature', 'id', f.id, 'geometry', ST_AsGeoJSON({geometry})::json,
                               'properties', f.properties)::text AS feature
FROM ({source}) f
WHERE {conditions}
ORDER BY {order}
LIMIT {limit}
