-- The cases with the gids $1 (uuid[]) that the caller ($2, a peer's code) is party to, as the change feed
-- sends them (docs/SYNC.md, "Work orders between levels"): those it sent here (origin_node) and those
-- this node sent to it (handling_node). The columns the other level reads: the order (intake fields, its
-- number, the deadline its clock runs to and the limit in working seconds, its origin and the level
-- below that handles it) and the handling (state, routing, closing); no local ids. A geometry as hex
-- EWKB, and its point as lon/lat, which is how an order is sent (POST /api/v1/cases/work-orders).
SELECT jsonb_build_object(
           'gid', k.gid, 'version', k.version, 'origin', k.origin, 'case_number', k.case_number,
           'source', k.source, 'category_code', k.category_code, 'urgency', k.urgency, 'title', k.title,
           'description', k.description, 'address', k.address, 'geom', ST_AsHexEWKB(k.geom),
           'lon', ST_X(k.geom), 'lat', ST_Y(k.geom), 'grid_code', k.grid_code,
           'community_code', k.community_code, 'street_code', k.street_code, 'state', k.state,
           'deadline', k.deadline, 'clock_limit_s', k.clock_limit_s, 'created_at', k.created_at,
           'closed_at', k.closed_at, 'closed_on_time', k.closed_on_time,
           'origin_node', k.origin_node, 'origin_order_number', k.origin_order_number,
           'origin_deadline', k.origin_deadline, 'origin_time_limit', k.origin_time_limit,
           'handling_node', k.handling_node, 'handling_case_number', k.handling_case_number)::text AS record,
       k.gid, NULL::text AS street
FROM civic_case k
WHERE k.gid = ANY ($1::uuid[]) AND $2 IN (k.origin_node, k.handling_node)
