-- The staged grids of the given codes whose repair PolygonRepair refuses: rejected, they leave the staging table.
DELETE FROM import_stage_grid WHERE code = ANY (?)
