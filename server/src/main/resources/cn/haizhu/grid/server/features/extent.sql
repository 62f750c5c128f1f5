-- The spatial extent of the caller's part of the district (its streets, under row-level security) in
-- CRS84, and the time span of the cases it sees: what /collections says of every collection.
SELECT ST_XMin(b.box) AS w, ST_YMin(b.box) AS s, ST_XMax(b.box) AS e, ST_YMax(b.box) AS n,
       (SELECT min(created_at) FROM civic_case) AS first_case, (SELECT max(created_at) FROM civic_case) AS last_case
FROM (SELECT ST_Extent(geom) AS box FROM admin_area WHERE level = 'street') b
