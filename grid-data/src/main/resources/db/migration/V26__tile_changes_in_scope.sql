-- Map tile changes in the caller's scope. GET /tiles/changes showed a street user every box whose
-- bounding box overlapped their street's bounding box, so the edits of neighbouring streets (where, and
-- when) came through. Each box now carries the street and grid of the rows it stands for, and a caller
-- hears of a box only when those rows are theirs by the rule row-level security applies to the rows
-- themselves (gridctl_scope_allows): exactly the boxes that can change a tile the caller is served.

ALTER TABLE tile_dirty ADD COLUMN street_code text, ADD COLUMN grid_code text;
COMMENT ON COLUMN tile_dirty.street_code IS 'street of the changed rows (null: the district outline, or boxes from before V26)';
COMMENT ON COLUMN tile_dirty.grid_code IS 'grid of the changed rows, where they share one (null: several, or none)';

-- The street and the grid of a row of a source table, as SQL expressions over that row.
CREATE FUNCTION tile_scope_of(tbl text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE tbl
        WHEN 'admin_area' THEN ARRAY['street_code', 'NULL::text']
        WHEN 'grid'       THEN ARRAY['street_code', 'code']
        ELSE                   ARRAY['street_code', 'grid_code']   -- house, enterprise
    END
$$;

-- As in V5, with the street and grid of each changed feature; the boxes of a bulk change are cut by
-- street as well as by z14 cell, so that no box stands for rows of two streets.
CREATE OR REPLACE FUNCTION tile_dirty_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    layer   text := tile_layer_of(TG_TABLE_NAME);
    scope   text[] := tile_scope_of(TG_TABLE_NAME);
    cols    text;
    changed text;
BEGIN
    IF TG_TABLE_NAME = 'grid_stats' THEN
        -- Counts feed the grids layer; refresh_grid_stats() rewrites every row, so keep the grids whose counts moved.
        IF TG_OP = 'INSERT' THEN
            changed := 'SELECT ''grids'' AS layer, g.street_code, g.code AS grid_code, g.geom_3857
                        FROM new_rows n JOIN grid g ON g.code = n.grid_code';
        ELSIF TG_OP = 'UPDATE' THEN
            changed := 'SELECT ''grids'' AS layer, g.street_code, g.code AS grid_code, g.geom_3857
                        FROM new_rows n JOIN old_rows o USING (grid_code) JOIN grid g ON g.code = n.grid_code
                        WHERE (n.house_count, n.person_count, n.enterprise_count)
                              IS DISTINCT FROM (o.house_count, o.person_count, o.enterprise_count)';
        ELSE
            RETURN NULL;   -- a grid_stats row goes with its grid, whose own trigger records the box
        END IF;
    ELSE
        cols := format('%s AS layer, %s AS street_code, %s AS grid_code, geom_3857', layer, scope[1], scope[2]);
        IF TG_OP = 'INSERT' THEN
            changed := format('SELECT %s FROM new_rows', cols);
        ELSIF TG_OP = 'UPDATE' THEN
            -- Old and new place: a moved feature leaves one tile (and maybe one street) and enters another.
            changed := format('SELECT %1$s FROM old_rows UNION ALL SELECT %1$s FROM new_rows', cols);
        ELSE
            changed := format('SELECT %s FROM old_rows', cols);
        END IF;
    END IF;
    EXECUTE format($q$
        WITH changed AS (%s),
        counted AS (SELECT layer, street_code, grid_code, geom_3857, count(*) OVER (PARTITION BY layer) AS n FROM changed)
        INSERT INTO tile_dirty (layer, street_code, grid_code, bbox)
        SELECT layer, street_code, grid_code, ST_Envelope(geom_3857) FROM counted WHERE n <= 64
        UNION ALL
        SELECT layer, street_code, CASE WHEN min(grid_code) = max(grid_code) THEN min(grid_code) END,
               ST_SetSRID(ST_Extent(geom_3857)::geometry, 3857)
        FROM counted WHERE n > 64
        GROUP BY layer, street_code, floor(ST_X(ST_Centroid(ST_Envelope(geom_3857))) / 2445.98),
                                     floor(ST_Y(ST_Centroid(ST_Envelope(geom_3857))) / 2445.98)$q$, changed);
    RETURN NULL;
END $$;
