-- Cases (案件): the current body of each function of the case tables. History stays in the
-- versioned migrations (V4, V8, V9, V11, V14, V16, V17, V19, V32); this file is where the functions are
-- read and changed (docs/MIGRATIONS.md). cn.haizhu.grid.data.cases.CaseWorkflow decides every
-- transition; these functions number, route, record, announce, escalate and count.

-- Human case numbers (受理编号): the node's admin code, the Shanghai date and a serial from one sequence
-- that is never reset per day (a per-day counter row would serialise every intake of the day on one row
-- lock): 440105-20261207-000123 at the Haizhu district, 440105001-20261207-000012 at a street node,
-- 440100-… at the city. The node code makes a number unique across the whole exchange (issue 15): two
-- nodes never share a code, and a case keeps its number wherever its rows travel. The serial is padded
-- to at least six digits and never cut (V14: lpad alone also cuts a longer text).
-- Numbers made before (HZ + date + serial, V4 and V14, all at the one district node there was) stay as
-- they are: they begin with letters, so no new number can equal one of them.
CREATE OR REPLACE FUNCTION gridctl_case_number() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT coalesce((SELECT code FROM platform_node), 'HZ') || '-'
                || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-'
                || lpad(s.n, greatest(6, length(s.n)), '0')
    FROM (SELECT nextval('civic_case_number_seq')::text AS n) s
$$;

-- The origin's columns of a work order from a level above (V32) are the origin's: an update that
-- changes them is refused unless it is made in the origin's name (a sync apply naming the origin node
-- as gridctl.origin). Fired only when one of them changes.
CREATE OR REPLACE FUNCTION civic_case_origin_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF gridctl_origin() IS DISTINCT FROM OLD.origin_node THEN
        RAISE EXCEPTION 'the origin of work order % is %''s: it is not changed at %', OLD.case_number,
            coalesce(OLD.origin_node, 'this level'), gridctl_origin()
            USING ERRCODE = 'restrict_violation', HINT = 'the origin changes its own order; this level records actions';
    END IF;
    RETURN NEW;
END $$;

-- History is evidence (who did what, when, where): it is appended to, never rewritten, by anyone.
-- Fired for UPDATE, DELETE and TRUNCATE of case_event.
CREATE OR REPLACE FUNCTION case_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case history is immutable: % on case_event refused', TG_OP
        USING ERRCODE = 'restrict_violation', HINT = 'record a new action instead';
END $$;

------------------------------------------------------------------------------------------------
-- Routing (分拨): the grid that contains the point (the smallest code when it lies on a shared edge),
-- its community and street (from the admin areas where no grid covers the point), the distance to the
-- nearest grid boundary (near_boundary within 5 m: the dispatcher confirms), whether the point lies
-- outside the district at all, and the grid's worker with the fewest open cases (load balancing).
-- SECURITY DEFINER: routing must see every grid and every worker's load, whatever the caller's scope;
-- it returns codes only, and the insert that follows is still checked by row-level security.
-- Cheap enough for hundreds of intakes a second:
--  * the grids tile the district, so a point inside a grid is inside the district: the outline (one
--    polygon of thousands of vertices, 15 ms per test) is tested only for the rare point no grid holds;
--  * a grid names its community: the community is looked up by polygon only for a point no grid holds;
--  * PL/pgSQL, not LANGUAGE sql: a SECURITY DEFINER function is never inlined, and PostgreSQL plans
--    an SQL body again on every call (1.5 ms per intake); PL/pgSQL keeps the plan per session.
------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION gridctl_route_case(lon double precision, lat double precision)
RETURNS TABLE (grid_code text, community_code text, street_code text, boundary_distance_m double precision,
               near_boundary boolean, outside_district boolean, worker_id bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS pt)
    SELECT g.code, coalesce(g.community_code, c.code), coalesce(g.street_code, c.street_code),
           b.dist, coalesce(b.dist < 5, false),
           g.code IS NULL
               AND NOT EXISTS (SELECT 1 FROM admin_area d WHERE d.level = 'district' AND ST_Intersects(d.geom, p.pt)),
           w.worker_id
    FROM p
    LEFT JOIN LATERAL (SELECT code, community_code, street_code FROM grid
                       WHERE ST_Intersects(grid.geom, p.pt) ORDER BY code LIMIT 1) g ON true
    LEFT JOIN LATERAL (SELECT a.code, a.street_code FROM admin_area a
                       WHERE (g.code IS NULL OR g.community_code IS NULL)
                         AND a.level = 'community' AND ST_Intersects(a.geom, p.pt) ORDER BY a.code LIMIT 1) c ON true
    -- 0.0002° ≈ 20 m at Guangzhou's latitude: an index box around the point; the distance itself is geodesic.
    LEFT JOIN LATERAL (SELECT min(ST_Distance(ST_Boundary(grid.geom)::geography, p.pt::geography)) AS dist
                       FROM grid WHERE grid.geom && ST_Expand(p.pt, 0.0002)) b ON true
    LEFT JOIN LATERAL (SELECT wg.worker_id FROM grid_worker_grid wg
                       JOIN grid_worker gw ON gw.id = wg.worker_id AND gw.active
                       WHERE wg.grid_code = g.code
                       ORDER BY (SELECT count(*) FROM civic_case k
                                 WHERE k.assignee_id = wg.worker_id
                                   AND k.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')),
                                wg.duty = 'primary' DESC, wg.worker_id
                       LIMIT 1) w ON true;
END
$$;
REVOKE EXECUTE ON FUNCTION gridctl_route_case(double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_route_case(double precision, double precision) TO gridctl_app;

-- 派单 at a city node (docs/SYNC.md "Work orders between levels"): the district whose outline holds the
-- point handles the case (its code, the smallest where outlines touch); null at a district or street node,
-- and for a point in none of the city's districts (the city keeps it). The area tree of a city holds its
-- districts from its first start (the reference outlines, NodeAreaTree). SECURITY DEFINER, PL/pgSQL, as
-- gridctl_route_case beside it in every intake: routing sees every area whatever the caller's scope, and
-- the plan is kept per session (a district's intake pays one lookup of platform_node).
CREATE OR REPLACE FUNCTION gridctl_handling_node(lon double precision, lat double precision) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT a.code FROM platform_node n
            JOIN admin_area a ON a.level = 'district' AND a.code <> n.code
                             AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(lon, lat), 4326))
            WHERE length(n.code) = 6 AND right(n.code, 2) = '00'
            ORDER BY a.code LIMIT 1);
END
$$;
REVOKE EXECUTE ON FUNCTION gridctl_handling_node(double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_handling_node(double precision, double precision) TO gridctl_app;

-- Cases are pushed, never tiled: every committed intake or change of a case raises one event (the
-- server relays it to the open desks, tablets and map walls over SSE, each filtered by the viewer's
-- data scope). The events of a statement are logged and, at commit, numbered and notified on the
-- gridctl_events channel (gridctl_events_raise, R__events_functions.sql), so a page never hears of a change
-- that rolled back, and one that reconnects to any server instance gets what it missed. A statement
-- writing hundreds of cases at once (a history load) raises a single case.bulk event instead of
-- flooding the pages. The event of an update names the previous assignee when it changed (改派, a
-- dispatcher's override), so that worker's tablet hears it too (EventStreamResource).
-- SECURITY DEFINER: it writes the event log, which no request role may. Fired by triggers only.
CREATE OR REPLACE FUNCTION civic_case_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM new_rows;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n > 200 THEN
        PERFORM gridctl_events_raise(jsonb_build_array(jsonb_build_object('type', 'case.bulk', 'count', n)));
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM gridctl_events_raise(jsonb_agg(jsonb_build_object(
                'type', 'case.changed',
                'id', r.gid, 'number', r.case_number, 'state', r.state, 'title', left(r.title, 100),
                'category', r.category_code, 'urgency', r.urgency,
                'street_code', r.street_code, 'grid_code', r.grid_code, 'assignee_id', r.assignee_id,
                'previous_assignee_id', CASE WHEN o.assignee_id IS DISTINCT FROM r.assignee_id THEN o.assignee_id END,
                'lon', ST_X(r.geom), 'lat', ST_Y(r.geom), 'deadline', r.deadline, 'version', r.version)))
        FROM new_rows r LEFT JOIN old_rows o ON o.gid = r.gid;
        RETURN NULL;
    END IF;
    PERFORM gridctl_events_raise(jsonb_agg(jsonb_build_object(
            'type', 'case.created',
            'id', r.gid, 'number', r.case_number, 'state', r.state, 'title', left(r.title, 100),
            'category', r.category_code, 'urgency', r.urgency,
            'street_code', r.street_code, 'grid_code', r.grid_code, 'assignee_id', r.assignee_id,
            'lon', ST_X(r.geom), 'lat', ST_Y(r.geom), 'deadline', r.deadline, 'version', r.version)))
    FROM new_rows r;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION civic_case_notify() FROM PUBLIC;

-- Overdue escalation (超期催办 → 督办). A case whose clock ran out while someone still owes work on it
-- is urged (催办, level 1); supervise_after later it is supervised (督办, level 2: the command center
-- follows it up). Each step is a history row by "system" and bumps the case's version, so the desk,
-- the tablet and the wall hear of it through the same case.changed event as any other change. The
-- server runs this every minute; a case is escalated at most once per level, and concurrent runs
-- skip each other's rows, so any number of servers can run it.
CREATE OR REPLACE FUNCTION gridctl_escalate_overdue(supervise_after interval DEFAULT interval '1 day')
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

------------------------------------------------------------------------------------------------
-- KPI counts kept per month (考核指标月度计数, case_kpi and case_kpi_delta of V19): for each case,
-- once under the local (Asia/Shanghai) month it came in (basis 'created', 受理) and once under the
-- month it was closed (basis 'closed', 结案), per dimension (street, department, worker, category).
------------------------------------------------------------------------------------------------

-- The counts one case adds (sign +1) or takes away (sign -1), one row per basis it has a date for
-- and dimension. The one definition of the kept counts: the capture and V19's backfill go through
-- it. Each count is the report's definition for one case (CaseKpis): a suspended case (缓办) counts
-- in no KPI, a numerator only within its denominator.
CREATE OR REPLACE FUNCTION gridctl_case_kpi_facts(sign int, state text, street text, department text, category text,
                                       assignee bigint, created timestamptz, closed timestamptz,
                                       filed boolean, dispatched boolean, on_time boolean,
                                       checks int, reworks int, extensions int, sign_s bigint)
    RETURNS TABLE (basis text, dimension text, key text, month timestamptz, street_code text,
                   cases bigint, suspended bigint, filed bigint, filed_closed bigint, closed bigint,
                   closed_on_time bigint, checked bigint, reworked bigint, dispatched bigint, extended bigint,
                   signed bigint, sign_seconds bigint)
    LANGUAGE sql STABLE AS $$
    SELECT b.basis, g.dimension, g.key, date_trunc('month', b.at, 'Asia/Shanghai'), $3,
           $1::bigint,
           $1 * (NOT f.counts)::int,
           $1 * (f.counts AND $9)::int,
           $1 * (f.counts AND $9 AND f.is_closed)::int,
           $1 * (f.counts AND f.is_closed)::int,
           $1 * (f.counts AND f.is_closed AND coalesce($11, false))::int,
           $1 * (f.counts AND $12 > 0)::int,
           $1 * (f.counts AND $12 > 0 AND $13 > 0)::int,
           $1 * (f.counts AND $10)::int,
           $1 * (f.counts AND $10 AND $14 > 0)::int,
           $1 * (f.counts AND $15 IS NOT NULL)::int,
           $1 * CASE WHEN f.counts THEN coalesce($15, 0) ELSE 0 END
    FROM (SELECT $2 <> 'suspended' AS counts, $2 IN ('closed', 'evaluated') AS is_closed) f
    CROSS JOIN (VALUES ('created', $7), ('closed', $8)) b (basis, at)
    CROSS JOIN (VALUES ('street', $3), ('department', $4), ('worker', $6::text), ('category', $5)) g (dimension, key)
    WHERE b.at IS NOT NULL
$$;

-- The capture: statement triggers on civic_case append what each statement changed (+1 for the new
-- rows, -1 for the old) to case_kpi_delta, grouped per statement (a batch of intakes or a
-- million-row history adds a few rows a dimension), so writers never wait on each other for a hot
-- counter row. What did not change nets to zero and is not written (most updates, such as an
-- escalation, touch no count). The three branches repeat one grouped SELECT over different
-- transition tables: a transition table can be named only in the statement text of its own
-- trigger's function, not passed on.
-- SECURITY DEFINER: it writes as the owner, whatever the scope of the user whose change it counts
-- (a grid worker's own scope is no street, and no request role may write counts directly). Fired by
-- triggers only: executable by no one else.
CREATE OR REPLACE FUNCTION gridctl_case_kpi_capture() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_kpi_delta
        SELECT f.basis, f.dimension, f.key, f.month, f.street_code, sum(f.cases), sum(f.suspended), sum(f.filed),
               sum(f.filed_closed), sum(f.closed), sum(f.closed_on_time), sum(f.checked), sum(f.reworked),
               sum(f.dispatched), sum(f.extended), sum(f.signed), sum(f.sign_seconds)
        FROM new_rows c
        CROSS JOIN LATERAL gridctl_case_kpi_facts(1, c.state, c.street_code, c.department_code, c.category_code,
            c.assignee_id, c.created_at, c.closed_at, c.filed_at IS NOT NULL, c.first_dispatched_at IS NOT NULL,
            c.closed_on_time, c.check_count, c.rework_count, c.extension_count, c.time_to_sign_s) f
        GROUP BY 1, 2, 3, 4, 5;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO case_kpi_delta
        SELECT f.basis, f.dimension, f.key, f.month, f.street_code, sum(f.cases), sum(f.suspended), sum(f.filed),
               sum(f.filed_closed), sum(f.closed), sum(f.closed_on_time), sum(f.checked), sum(f.reworked),
               sum(f.dispatched), sum(f.extended), sum(f.signed), sum(f.sign_seconds)
        FROM old_rows c
        CROSS JOIN LATERAL gridctl_case_kpi_facts(-1, c.state, c.street_code, c.department_code, c.category_code,
            c.assignee_id, c.created_at, c.closed_at, c.filed_at IS NOT NULL, c.first_dispatched_at IS NOT NULL,
            c.closed_on_time, c.check_count, c.rework_count, c.extension_count, c.time_to_sign_s) f
        GROUP BY 1, 2, 3, 4, 5;
    ELSE
        INSERT INTO case_kpi_delta
        SELECT f.basis, f.dimension, f.key, f.month, f.street_code, sum(f.cases), sum(f.suspended), sum(f.filed),
               sum(f.filed_closed), sum(f.closed), sum(f.closed_on_time), sum(f.checked), sum(f.reworked),
               sum(f.dispatched), sum(f.extended), sum(f.signed), sum(f.sign_seconds)
        FROM (SELECT 1 AS sign, n.state, n.street_code, n.department_code, n.category_code, n.assignee_id,
                     n.created_at, n.closed_at, n.filed_at, n.first_dispatched_at, n.closed_on_time, n.check_count,
                     n.rework_count, n.extension_count, n.time_to_sign_s
              FROM new_rows n
              UNION ALL
              SELECT -1, o.state, o.street_code, o.department_code, o.category_code, o.assignee_id,
                     o.created_at, o.closed_at, o.filed_at, o.first_dispatched_at, o.closed_on_time, o.check_count,
                     o.rework_count, o.extension_count, o.time_to_sign_s
              FROM old_rows o) c
        CROSS JOIN LATERAL gridctl_case_kpi_facts(c.sign, c.state, c.street_code, c.department_code, c.category_code,
            c.assignee_id, c.created_at, c.closed_at, c.filed_at IS NOT NULL, c.first_dispatched_at IS NOT NULL,
            c.closed_on_time, c.check_count, c.rework_count, c.extension_count, c.time_to_sign_s) f
        GROUP BY 1, 2, 3, 4, 5
        HAVING (sum(f.cases), sum(f.suspended), sum(f.filed), sum(f.filed_closed), sum(f.closed),
                sum(f.closed_on_time), sum(f.checked), sum(f.reworked), sum(f.dispatched), sum(f.extended),
                sum(f.signed), sum(f.sign_seconds)) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_case_kpi_capture() FROM PUBLIC;

-- The fold: moves the appended rows into case_kpi (run by the server every few seconds, and by the
-- history generator). One fold at a time (a second caller returns 0 at once), so two folds never
-- upsert the same counters in different orders. Rows appended by transactions still open are not
-- seen by the DELETE and wait for the next fold. The report sums case_kpi and case_kpi_delta in one
-- snapshot, so it is exact whether or not the fold has run. Returns the rows moved.
CREATE OR REPLACE FUNCTION gridctl_case_kpi_compact() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    moved   bigint;
    emptied bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('gridctl_case_kpi_compact')) THEN
        RETURN 0;
    END IF;
    WITH d AS (DELETE FROM case_kpi_delta RETURNING *),
    folded AS (
        INSERT INTO case_kpi
        SELECT basis, dimension, key, month, street_code, sum(cases), sum(suspended), sum(filed), sum(filed_closed),
               sum(closed), sum(closed_on_time), sum(checked), sum(reworked), sum(dispatched), sum(extended),
               sum(signed), sum(sign_seconds)
        FROM d GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 4, 5, 3
        ON CONFLICT (basis, dimension, month, street_code, key) DO UPDATE SET
            cases = case_kpi.cases + excluded.cases, suspended = case_kpi.suspended + excluded.suspended,
            filed = case_kpi.filed + excluded.filed, filed_closed = case_kpi.filed_closed + excluded.filed_closed,
            closed = case_kpi.closed + excluded.closed, closed_on_time = case_kpi.closed_on_time + excluded.closed_on_time,
            checked = case_kpi.checked + excluded.checked, reworked = case_kpi.reworked + excluded.reworked,
            dispatched = case_kpi.dispatched + excluded.dispatched, extended = case_kpi.extended + excluded.extended,
            signed = case_kpi.signed + excluded.signed, sign_seconds = case_kpi.sign_seconds + excluded.sign_seconds
        RETURNING cases)
    SELECT count(*), count(*) FILTER (WHERE cases = 0) INTO moved, emptied FROM folded;
    -- A group whose cases all went (a worker's only case of a month reassigned, history removed) is
    -- dropped, not kept as zeros; looked for only then, as it reads the whole table.
    IF emptied > 0 THEN
        DELETE FROM case_kpi WHERE cases = 0;
    END IF;
    RETURN moved;
END $$;
