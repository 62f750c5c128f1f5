-- The case columns every view of a whole case selects (CaseViews.caseJson reads them): c is civic_case,
-- w its assignee (grid_worker). Filled in where case.sql, queue.sql and duplicates.sql name case_columns
-- in braces.
       c.gid, c.case_number, c.source, c.category_code, c.urgency, c.title, c.description, c.address, c.media_url,
       ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.grid_code, c.community_code, c.street_code, c.state,
       c.assignee_id, w.name AS assignee_name, w.user_id AS assignee_user_id, c.department_code,
       c.reporter_user_id, c.reporter_name, c.deadline, c.extension_pending, c.extension_requested_s,
       c.near_boundary, c.boundary_distance_m, c.outside_district, c.far_completion,
       c.filed_at, c.first_dispatched_at, c.first_signed_at, c.time_to_sign_s, c.closed_at, c.closed_on_time,
       c.check_count, c.rework_count, c.extension_count, c.event_count, c.escalation_level, c.intake_hash,
       c.created_at, c.updated_at, c.version,
       c.origin_node, c.origin_order_number, c.origin_deadline, c.origin_time_limit,
       c.handling_node, c.handling_case_number,
       c.clock_started_at, c.clock_limit_s, c.clock_extended_s, c.clock_pauses::text AS clock_pauses,
       c.clock_paused_since, c.clock_stopped_at
