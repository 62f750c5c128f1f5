-- The grids of the file whose polygon is new or differs from the stored one, with both polygons: what
-- GridReplacement places the houses and enterprises again under, once the merge has run.
CREATE TEMP TABLE grid_reshaped ON COMMIT DROP AS
SELECT p.src_row, p.code, g.geom AS old_geom, p.geom AS new_geom
FROM import_stage_grid p
JOIN admin_area c ON c.code = p.community_code AND c.level = 'community' AND c.parent_code = p.street_code
LEFT JOIN grid g ON g.code = p.code
WHERE g.geom IS DISTINCT FROM p.geom
