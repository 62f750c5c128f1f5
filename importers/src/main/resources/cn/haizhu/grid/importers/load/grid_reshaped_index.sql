-- The reshaped grids' old and new polygons indexed, for the candidates' point-in-polygon joins.
CREATE INDEX ON grid_reshaped USING gist (old_geom);
CREATE INDEX ON grid_reshaped USING gist (new_geom);
ANALYZE grid_reshaped
