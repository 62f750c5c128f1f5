-- An action's outcome on the case: new state, assignee, deadline clock and KPI facts, conditional on the
-- version read ($2), so of two actors who both saw the same case exactly one moves it. A 处置反馈 stamped
-- further than $26 metres from the case is flagged (far_completion). No row: someone else moved it first.
UPDATE civic_case SET
    state = $3, assignee_id = $4,
    clock_started_at = $5, clock_limit_s = $6, clock_extended_s = $7, clock_pauses = $8::text::jsonb,
    clock_paused_since = $9, clock_stopped_at = $10, deadline = $11,
    extension_pending = $12, extension_requested_s = $13,
    filed_at = $14, first_dispatched_at = $15, first_signed_at = $16, time_to_sign_s = $17,
    closed_at = $18, closed_on_time = $19,
    check_count = check_count + $20, rework_count = rework_count + $21,
    extension_count = extension_count + $22,
    far_completion = far_completion OR coalesce($23 AND ST_Distance(geom::geography,
        ST_SetSRID(ST_MakePoint($24, $25), 4326)::geography) > $26, false),
    event_count = event_count + 1
WHERE gid = $1 AND version = $2
RETURNING event_count
