-- Admin areas and grids: the data scope every scoped table's row-level security applies, and the
-- counts kept per grid. The current body of each function; history stays in the versioned
-- migrations (V1). See docs/MIGRATIONS.md.

------------------------------------------------------------------------------------------------
-- Data scope (数据权限): a request runs with gridctl.scope_kind = district | street | grids and
-- gridctl.scope_code = the street code or a comma-separated list of grid codes. Row-level security
-- on every scoped table calls this one function; a session that set nothing sees nothing.
------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridctl_scope_allows(row_street text, row_grid text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE current_setting('gridctl.scope_kind', true)
        WHEN 'district' THEN true
        WHEN 'street'   THEN row_street = current_setting('gridctl.scope_code', true)
        WHEN 'grids'    THEN row_grid = ANY (string_to_array(current_setting('gridctl.scope_code', true), ','))
        ELSE false
    END
$$;

-- The gid of an admin area, made from its code: every node that holds an area (the district that
-- owns it, a street or city node that started from the reference data before its first sync) holds
-- it under the same gid, so the owner's copy arriving by sync replaces the starting one instead of
-- colliding with it on the code (docs/SYNC.md, "Identity of a record").
CREATE OR REPLACE FUNCTION gridctl_area_gid(code text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT md5('admin_area:' || code)::uuid
$$;

-- Counts per grid (grid_stats), refreshed after every load. Not change-logged: derived, each node
-- computes its own. Rows of grids that are gone are removed.
CREATE OR REPLACE FUNCTION refresh_grid_stats() RETURNS void LANGUAGE sql AS $$
    INSERT INTO grid_stats (grid_code, street_code, house_count, person_count, enterprise_count, refreshed_at)
    SELECT g.code, g.street_code,
           coalesce(h.n, 0), coalesce(p.n, 0), coalesce(e.n, 0), now()
    FROM grid g
    LEFT JOIN (SELECT grid_code, count(*) n FROM house GROUP BY grid_code) h ON h.grid_code = g.code
    LEFT JOIN (SELECT grid_code, count(*) n FROM person GROUP BY grid_code) p ON p.grid_code = g.code
    LEFT JOIN (SELECT grid_code, count(*) n FROM enterprise GROUP BY grid_code) e ON e.grid_code = g.code
    ON CONFLICT (grid_code) DO UPDATE
        SET house_count = EXCLUDED.house_count, person_count = EXCLUDED.person_count,
            enterprise_count = EXCLUDED.enterprise_count, street_code = EXCLUDED.street_code,
            refreshed_at = EXCLUDED.refreshed_at;
    DELETE FROM grid_stats s WHERE NOT EXISTS (SELECT 1 FROM grid g WHERE g.code = s.grid_code);
$$;
