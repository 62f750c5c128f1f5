-- Map tiles: where the data under a tile layer changed, so that the server evicts only the cached
-- tiles covering the change and browsers refresh only those (server/.../tiles/package-info.java).
-- The current body of each function; history stays in the versioned migrations (V5, V26), which
-- also attach the triggers. See docs/MIGRATIONS.md.

-- The layer a row of a source table belongs to, as an SQL expression over that row.
CREATE OR REPLACE FUNCTION tile_layer_of(tbl text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE tbl
        WHEN 'admin_area' THEN $e$CASE level WHEN 'city' THEN 'district' WHEN 'district' THEN 'district' WHEN 'street' THEN 'streets' ELSE 'communities' END$e$
        WHEN 'grid'       THEN quote_literal('grids')
        WHEN 'house'      THEN quote_literal('houses')
        WHEN 'enterprise' THEN quote_literal('enterprises')
    END
$$;

-- The street and the grid of a row of a source table, as SQL expressions over that row.
CREATE OR REPLACE FUNCTION tile_scope_of(tbl text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE tbl
        WHEN 'admin_area' THEN ARRAY['street_code', 'NULL::text']
        WHEN 'grid'       THEN ARRAY['street_code', 'code']
        ELSE                   ARRAY['street_code', 'grid_code']   -- house, enterprise
    END
$$;

-- One trigger function for the tables under tile layers (admin_area, grid, house, enterprise,
-- grid_stats). Statement triggers write one row per changed feature (old and new place of an update)
-- while a statement touches few features, and one box per ~2.4 km cell (a z14 tile, 2445.98 m) when
-- it touches many (an import), so a bulk load costs a handful of rows, not one per feature. Each box
-- carries the street and grid of the rows it stands for, and the boxes of a bulk change are cut by
-- street as well as by cell, so that no box stands for rows of two streets: a caller hears of a box
-- only when those rows are in their scope (GET /tiles/changes, gridctl_scope_allows). The transition
-- tables differ by operation, so each branch names only the ones its trigger has. A statement that
-- recorded a box notifies gridctl_tiles (no payload; PostgreSQL folds the repeats of a transaction and
-- delivers it at commit): every server instance then evicts at once what any instance's write touched
-- (TileService; it also reads tile_dirty every half second in any case).
CREATE OR REPLACE FUNCTION tile_dirty_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    layer   text := tile_layer_of(TG_TABLE_NAME);
    scope   text[] := tile_scope_of(TG_TABLE_NAME);
    cols    text;
    changed text;
    boxes   bigint;
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
    GET DIAGNOSTICS boxes = ROW_COUNT;
    IF boxes > 0 THEN
        PERFORM pg_notify('gridctl_tiles', '');
    END IF;
    RETURN NULL;
END $$;
