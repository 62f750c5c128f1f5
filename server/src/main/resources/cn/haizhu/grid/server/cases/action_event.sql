-- The history row of an action, in the same transaction as move_case.sql.
INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_user_id, actor_username,
                        actor_role, at, geom, comment, reason_code, attachment_ids, client_action_id, details)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
        CASE WHEN $10::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($10, $11), 4326) END,
        $12, $13, $14, $15, $16::text::jsonb)
