-- The invalid staged grid polygons (the first row of each code) beside what ST_MakeValid makes of them:
-- (row, code, why invalid, pieces and area before, pieces and area after). Only invalid rows are looked at,
-- so a clean file costs one ST_IsValid per grid.
SELECT s.src_row, s.code, ST_IsValidReason(s.geom), ST_NumGeometries(s.geom), ST_Area(s.geom),
       ST_NumGeometries(r.fixed), ST_Area(r.fixed)
FROM (SELECT DISTINCT ON (code) src_row, code, geom FROM import_stage_grid ORDER BY code, src_row) s
CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(s.geom), 3)) AS fixed) r
WHERE NOT ST_IsValid(s.geom)
ORDER BY s.src_row
