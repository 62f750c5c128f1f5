-- Map tiles: where the data under a tile layer changed, so that the server evicts only the cached
-- tiles covering the change and browsers refresh only those (server/.../tiles/package-info.java).
--
-- Statement triggers on the source tables write one row per changed feature (old and new place of
-- an update) while a statement touches few features, and one box per ~2.4 km cell (a z14 tile)
-- when it touches many (an import), so a bulk load costs a handful of rows, not one per feature.
-- Readers use the same fence as the change log: rows of transactions below the snapshot's xmin
-- can no longer appear late, so "txid >= since AND txid < fence" never skips a change.

CREATE TABLE tile_dirty (
    id    bigint GENERATED ALWAYS AS IDENTITY,
    txid  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    layer text        NOT NULL CHECK (layer IN ('district', 'streets', 'communities', 'grids', 'houses', 'enterprises')),
    bbox  geometry(Geometry, 3857) NOT NULL,
    at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (txid, id)
);
COMMENT ON TABLE tile_dirty IS 'Boxes (EPSG:3857) where a tile layer''s data changed; read behind the xmin fence';

-- The layer a row of a source table belongs to, as an SQL expression over that row.
CREATE FUNCTION tile_layer_of(tbl text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE tbl
        WHEN 'admin_area' THEN $e$CASE level WHEN 'district' THEN 'district' WHEN 'street' THEN 'streets' ELSE 'communities' END$e$
        WHEN 'grid'       THEN quote_literal('grids')
        WHEN 'house'      THEN quote_literal('houses')
        WHEN 'enterprise' THEN quote_literal('enterprises')
    END
$$;

-- One trigger function for the tables under tile layers. The transition tables differ by operation,
-- so each branch names only the ones its trigger has. `changed` lists (layer, geom_3857) of the
-- features the statement touched: few per layer give one box each; many give one box per
-- z14-sized cell (2445.98 m), which keeps an import in one street local to that street.
CREATE FUNCTION tile_dirty_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    layer   text := tile_layer_of(TG_TABLE_NAME);
    changed text;
BEGIN
    IF TG_TABLE_NAME = 'grid_stats' THEN
        -- Counts feed the grids layer; refresh_grid_stats() rewrites every row, so keep the grids whose counts moved.
        IF TG_OP = 'INSERT' THEN
            changed := 'SELECT ''grids'' AS layer, g.geom_3857 FROM new_rows n JOIN grid g ON g.code = n.grid_code';
        ELSIF TG_OP = 'UPDATE' THEN
            changed := 'SELECT ''grids'' AS layer, g.geom_3857
                        FROM new_rows n JOIN old_rows o USING (grid_code) JOIN grid g ON g.code = n.grid_code
                        WHERE (n.house_count, n.person_count, n.enterprise_count)
                              IS DISTINCT FROM (o.house_count, o.person_count, o.enterprise_count)';
        ELSE
            RETURN NULL;   -- a grid_stats row goes with its grid, whose own trigger records the box
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        changed := format('SELECT %s AS layer, geom_3857 FROM new_rows', layer);
    ELSIF TG_OP = 'UPDATE' THEN
        -- Old and new place: a moved feature leaves one tile and enters another.
        changed := format('SELECT %1$s AS layer, geom_3857 FROM old_rows UNION ALL SELECT %1$s, geom_3857 FROM new_rows', layer);
    ELSE
        changed := format('SELECT %s AS layer, geom_3857 FROM old_rows', layer);
    END IF;
    EXECUTE format($q$
        WITH changed AS (%s),
        counted AS (SELECT layer, geom_3857, count(*) OVER (PARTITION BY layer) AS n FROM changed)
        INSERT INTO tile_dirty (layer, bbox)
        SELECT layer, ST_Envelope(geom_3857) FROM counted WHERE n <= 64
        UNION ALL
        SELECT layer, ST_SetSRID(ST_Extent(geom_3857)::geometry, 3857)
        FROM counted WHERE n > 64
        GROUP BY layer, floor(ST_X(ST_Centroid(ST_Envelope(geom_3857))) / 2445.98),
                        floor(ST_Y(ST_Centroid(ST_Envelope(geom_3857))) / 2445.98)$q$, changed);
    RETURN NULL;
END $$;

DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['admin_area', 'grid', 'house', 'enterprise', 'grid_stats'] LOOP
        EXECUTE format('CREATE TRIGGER tile_dirty_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_dirty_capture()', tbl);
        EXECUTE format('CREATE TRIGGER tile_dirty_upd AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_dirty_capture()', tbl);
        EXECUTE format('CREATE TRIGGER tile_dirty_del AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_dirty_capture()', tbl);
    END LOOP;
END $$;

-- Old boxes are of no use once every server and browser has moved past them.
CREATE INDEX tile_dirty_at ON tile_dirty (at);

-- Request paths read the boxes (GET /tiles/changes); the scope filter is in the query.
GRANT SELECT ON tile_dirty TO gridctl_app;

-- Row-level security keeps a query's own conditions from running before the policy unless they are
-- LEAKPROOF, and only such conditions may drive an index scan: without this, every tile of a table
-- under RLS (all of them, for gridctl_app) reads the whole table instead of its GiST index (measured:
-- a sequential scan of 917k houses per tile). PostGIS's bounding-box overlap (the && operator)
-- compares two boxes and raises no error that depends on the data, so it may truthfully be marked
-- LEAKPROOF. That takes a superuser (the embedded cluster's owner is one); elsewhere a DBA runs the
-- same statement, and the server warns at start while it is missing (TileService).
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF;
    ELSE
        RAISE WARNING 'map tiles will not use spatial indexes under row-level security until a superuser runs: ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF';
    END IF;
END $$;
