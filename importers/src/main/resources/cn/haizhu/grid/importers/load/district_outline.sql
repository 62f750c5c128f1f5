-- The district's outline grown by the given metres (measured on the sphere), as WKB.
SELECT ST_AsBinary(ST_Buffer(geom::geography, ?)::geometry) FROM admin_area WHERE level = 'district'
ORDER BY code LIMIT 1
