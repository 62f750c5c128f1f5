-- The staged grids of the given codes whose repair PolygonRepair accepts, repaired as invalid_grid_polygons saw it.
UPDATE import_stage_grid SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
WHERE code = ANY (?) AND NOT ST_IsValid(geom)
