-- The history row of an action, in the same transaction as move_case.sql. An action the origin of a work
-- order took ($17 its event id, $18 its node code) keeps the origin's id and names it as origin, so the
-- row is the same record at every level and is never sent back there; any other action is this node's.
INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_user_id, actor_username,
                        actor_role, at, geom, comment, reason_code, attachment_ids, client_action_id, details,
                        gid, origin)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
        CASE WHEN $10::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($10, $11), 4326) END,
        $12, $13, $14, $15, $16::text::jsonb, coalesce($17::uuid, gen_random_uuid()), coalesce($18::text, gridctl_origin()))
