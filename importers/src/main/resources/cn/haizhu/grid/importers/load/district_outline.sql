-- This node's own outline grown by the given metres (measured on the sphere), as WKB: the area whose
-- code is the first six digits of the node's (platform_node): a district node's district, a street
-- node's district, a city node's city (the union of its districts). A node may hold other districts'
-- outlines (a city's reference outlines, copied into a district's database), so "the district row" is
-- not enough. No row (a street before its first sync): every location passes.
SELECT ST_AsBinary(ST_Buffer(a.geom::geography, ?)::geometry)
FROM admin_area a
JOIN platform_node n ON a.code = left(n.code, 6)
WHERE a.level IN ('district', 'city')
