-- The duplicate check of every intake (same category, open, within 50 m; CaseResource.DUPLICATES)
-- was the costliest statement of an intake: its GiST index found every open case in the box and
-- each was read from the table to compare the category. With the category in the index as well
-- (btree_gist, a trusted contrib extension) cases of other categories are passed over in the index.
-- The point stays the first column: the map wall's open-case layer asks by box alone, and a GiST
-- index is searched mostly by its first column.
CREATE EXTENSION IF NOT EXISTS btree_gist;
DROP INDEX civic_case_open_geom;
CREATE INDEX civic_case_open_geom ON civic_case USING gist (geom, category_code)
    WHERE state NOT IN ('closed', 'evaluated', 'rejected');

-- Routing (V11) looked the community up by polygon on every intake, though a grid names its
-- community and the lookup matters only for a point no grid holds: now it runs only then.
CREATE OR REPLACE FUNCTION gridctl_route_case(lon double precision, lat double precision)
RETURNS TABLE (grid_code text, community_code text, street_code text, boundary_distance_m double precision,
               near_boundary boolean, outside_district boolean, worker_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS pt)
    SELECT g.code, coalesce(g.community_code, c.code), coalesce(g.street_code, c.street_code),
           b.dist, coalesce(b.dist < 5, false),
           g.code IS NULL
               AND NOT EXISTS (SELECT 1 FROM admin_area d WHERE d.level = 'district' AND ST_Intersects(d.geom, p.pt)),
           w.worker_id
    FROM p
    LEFT JOIN LATERAL (SELECT code, community_code, street_code FROM grid
                       WHERE ST_Intersects(grid.geom, p.pt) ORDER BY code LIMIT 1) g ON true
    LEFT JOIN LATERAL (SELECT a.code, a.street_code FROM admin_area a
                       WHERE (g.code IS NULL OR g.community_code IS NULL)
                         AND a.level = 'community' AND ST_Intersects(a.geom, p.pt) ORDER BY a.code LIMIT 1) c ON true
    -- 0.0002° ≈ 20 m at Guangzhou's latitude: an index box around the point; the distance itself is geodesic.
    LEFT JOIN LATERAL (SELECT min(ST_Distance(ST_Boundary(grid.geom)::geography, p.pt::geography)) AS dist
                       FROM grid WHERE grid.geom && ST_Expand(p.pt, 0.0002)) b ON true
    LEFT JOIN LATERAL (SELECT wg.worker_id FROM grid_worker_grid wg
                       JOIN grid_worker gw ON gw.id = wg.worker_id AND gw.active
                       WHERE wg.grid_code = g.code
                       ORDER BY (SELECT count(*) FROM civic_case k
                                 WHERE k.assignee_id = wg.worker_id
                                   AND k.state NOT IN ('closed', 'evaluated', 'rejected')),
                                wg.duty = 'primary' DESC, wg.worker_id
                       LIMIT 1) w ON true;
END
$$;
