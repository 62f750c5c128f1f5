-- The first history row of each case just inserted by intake.sql (attachment ids as array literals, one
-- per intake). A separate statement because case_event's row-level security looks the case up, and a
-- statement does not see rows it inserts itself. For an id that existed nothing is written.
INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_user_id, actor_username,
                        actor_role, at, geom, comment, attachment_ids, details)
SELECT c.gid, 1, 'report', NULL, 'reported', t.actor_user_id, t.actor_username, t.actor_role, now(),
       c.geom, c.description, t.attachment_ids::uuid[],
       jsonb_build_object('source', c.source, 'category', c.category_code,
                          'gridCode', c.grid_code, 'assignee', c.assignee_id)
FROM unnest($1::uuid[], $2::int8[], $3::text[], $4::text[], $5::text[])
         AS t(gid, actor_user_id, actor_username, actor_role, attachment_ids)
JOIN civic_case c ON c.gid = t.gid
ON CONFLICT (case_gid, seq) DO NOTHING
