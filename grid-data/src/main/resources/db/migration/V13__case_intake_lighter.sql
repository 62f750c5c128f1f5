-- Every intake maintains every index of civic_case, and GiST inserts are the dear ones. Two of them
-- served no query: the spatial reads of cases are all of open cases (the duplicate check and the
-- wall's open-case points use civic_case_open_geom, V11), and cases are never in map tiles (the wall
-- draws them live), so neither the GiST index over all cases' points nor the Web Mercator copy of
-- every point (a reprojection per insert) and its index is read by anything.
DROP INDEX civic_case_geom;
DROP INDEX civic_case_geom_3857;
ALTER TABLE civic_case DROP COLUMN geom_3857;
