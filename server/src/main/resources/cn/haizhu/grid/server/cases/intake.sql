-- 受理: route and insert, one row per intake (one, or a batch from IntakeQueue), each routed on its own
-- by the route's LATERAL joins feeding the insert directly (gridctl_route_case: grid, community, street,
-- boundary distance, outside-district flag, the grid's least-loaded worker). The least-loaded worker is
-- counted at the start of the statement, so two cases of one batch in the same grid go to the same
-- worker; the next batch sees them. An id that exists inserts nothing and returns no row.
-- At a city node a case in one of its districts is that district's work order (gridctl_handling_node,
-- docs/SYNC.md): it keeps the clock its order starts ($14 started, $15 limit in working seconds, $16 the
-- deadline on the working calendar, as CaseIntake computed them, given only at a city); any other case has
-- no clock yet. $17: the photo reference each report links to (media_url), or null.
WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::float8[], $9::float8[], $10::text[], $11::int8[], $12::text[], $13::text[],
                         $14::timestamptz[], $15::int8[], $16::timestamptz[], $17::text[])
        AS t(gid, source, category_code, urgency, title, description, address, lon, lat,
             department_code, reporter_user_id, reporter_name, intake_hash, order_started, order_limit_s, order_deadline,
             media_url))
INSERT INTO civic_case (gid, source, category_code, urgency, title, description, address, geom,
                        grid_code, community_code, street_code, assignee_id, department_code,
                        reporter_user_id, reporter_name, near_boundary, boundary_distance_m,
                        outside_district, intake_hash, event_count, created_at,
                        handling_node, clock_started_at, clock_limit_s, deadline, media_url)
SELECT t.gid, t.source, t.category_code, t.urgency, t.title, t.description, t.address,
       ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326),
       r.grid_code, r.community_code, r.street_code, r.worker_id, t.department_code,
       t.reporter_user_id, t.reporter_name, r.near_boundary, r.boundary_distance_m,
       r.outside_district, t.intake_hash, 1, now(),
       h.node, CASE WHEN h.node IS NOT NULL THEN t.order_started END,
       CASE WHEN h.node IS NOT NULL THEN t.order_limit_s ELSE 0 END,
       CASE WHEN h.node IS NOT NULL THEN t.order_deadline END, t.media_url
FROM input t CROSS JOIN LATERAL gridctl_route_case(t.lon, t.lat) r
-- only where CaseIntake gave the order's clock (a city node): elsewhere the function is not called
CROSS JOIN LATERAL (SELECT CASE WHEN t.order_started IS NOT NULL THEN gridctl_handling_node(t.lon, t.lat) END AS node) h
ON CONFLICT (gid) DO NOTHING
RETURNING gid
