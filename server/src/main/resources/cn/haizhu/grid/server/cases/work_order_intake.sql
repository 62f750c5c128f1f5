-- 派单: a work order from a level above, routed like any intake (gridctl_route_case) and inserted with
-- where it came from (V32). A second order with the same origin and number, or an id that exists,
-- inserts nothing and returns no row (civic_case_origin_order makes the order number the key).
INSERT INTO civic_case (gid, source, category_code, urgency, title, description, address, geom,
                        grid_code, community_code, street_code, assignee_id, department_code,
                        reporter_user_id, reporter_name, near_boundary, boundary_distance_m,
                        outside_district, intake_hash, event_count, created_at,
                        origin_node, origin_order_number, origin_deadline, origin_time_limit)
SELECT $1, $2, $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326),
       r.grid_code, r.community_code, r.street_code, r.worker_id, $10,
       $11, $12, r.near_boundary, r.boundary_distance_m,
       r.outside_district, $13, 1, now(),
       $14, $15, $16, $17
FROM gridctl_route_case($8, $9) r
ON CONFLICT DO NOTHING
RETURNING gid
