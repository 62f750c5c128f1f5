-- The extent of the city or district outlines in EPSG:3857 (all nulls while there is no district): which tiles are inside the tile set.
SELECT ST_XMin(e) AS min_x, ST_YMin(e) AS min_y, ST_XMax(e) AS max_x, ST_YMax(e) AS max_y
FROM (SELECT ST_Extent(geom_3857) AS e FROM admin_area WHERE level IN ('city', 'district')) s
