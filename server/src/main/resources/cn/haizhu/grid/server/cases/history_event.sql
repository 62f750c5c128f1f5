-- One row of a case's history, by its seq.
SELECT seq, action, from_state, to_state, actor_username, actor_role, at,
       ST_X(geom) AS lon, ST_Y(geom) AS lat, comment, reason_code, attachment_ids,
       client_action_id, details::text AS details, origin
FROM case_event WHERE case_gid = $1 AND seq = $2
