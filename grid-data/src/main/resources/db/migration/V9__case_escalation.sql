-- Overdue escalation (超期催办 → 督办). A case whose clock ran out while someone still owes work on it
-- is urged (催办, level 1); a day later it is supervised (督办, level 2: the command center follows it
-- up). Each step is a history row by "system" and bumps the case's version, so the desk, the tablet
-- and the wall hear of it through the same case.changed event as any other change. The server runs
-- this every minute; a case is escalated at most once per level, and concurrent runs skip each
-- other's rows, so any number of servers can run it.

ALTER TABLE civic_case ADD COLUMN escalation_level smallint NOT NULL DEFAULT 0
    CHECK (escalation_level BETWEEN 0 AND 2);

CREATE FUNCTION gridctl_escalate_overdue(supervise_after interval DEFAULT interval '1 day')
RETURNS TABLE (urged bigint, supervised bigint) LANGUAGE sql AS $$
    WITH due AS (
        SELECT c.gid, CASE WHEN c.deadline < now() - supervise_after THEN 2 ELSE 1 END AS level
        FROM civic_case c
        WHERE c.deadline < now()
          AND c.state IN ('dispatched', 'signed', 'in_process', 'returned', 'reopened')
          AND c.escalation_level < CASE WHEN c.deadline < now() - supervise_after THEN 2 ELSE 1 END
        FOR UPDATE SKIP LOCKED
    ), raised AS (
        UPDATE civic_case c SET escalation_level = d.level, event_count = c.event_count + 1
        FROM due d WHERE c.gid = d.gid
        RETURNING c.gid, c.state, c.event_count AS seq, d.level
    ), logged AS (
        INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_username, actor_role, at, comment, details)
        SELECT r.gid, r.seq, CASE r.level WHEN 1 THEN 'urge' ELSE 'supervise' END, r.state, r.state, 'system', 'system',
               now(), CASE r.level WHEN 1 THEN '超期催办 / overdue: urged' ELSE '超期督办 / long overdue: supervised' END,
               jsonb_build_object('level', r.level)
        FROM raised r
        RETURNING action
    )
    SELECT count(*) FILTER (WHERE action = 'urge'), count(*) FILTER (WHERE action = 'supervise') FROM logged
$$;

CREATE INDEX civic_case_escalation ON civic_case (deadline)
    WHERE escalation_level < 2 AND state IN ('dispatched', 'signed', 'in_process', 'returned', 'reopened');
