-- KPI counts kept per month (考核指标月度计数). The KPI report (CaseKpiResource) read every case of its
-- period: over three years of cases, an index-only scan of a million rows, 0.7–1.1 s. Command staff
-- ask for months and years, so the report now reads counts kept per local (Asia/Shanghai) month and
-- dimension instead, a few hundred to a hundred thousand rows, and reads case by case only the partial
-- months at the ends of a period that does not start or end on a month boundary.
--
-- What is kept: for each case, once under the month it came in (basis 'created', 受理) and once under
-- the month it was closed (basis 'closed', 结案), per dimension (street, department, worker,
-- category), the counts the report sums. Each count is the report's definition for one case
-- (CaseKpis): a suspended case (缓办) counts in no KPI, a numerator only within its denominator.
-- One count is not kept: whether an open case is due (应结案) depends on when the report runs, so the
-- report adds the open cases past their deadline from civic_case (civic_case_open_deadline), and a
-- closed case is always due.
--
-- How it stays right: statement triggers on civic_case append what each statement changed (+1 for the
-- new rows, -1 for the old) to case_kpi_delta, so writers never wait on each other for a hot counter
-- row; gridctl_case_kpi_compact() folds the appended rows into case_kpi (run by the server every few
-- seconds, and by the history generator). The report sums case_kpi and case_kpi_delta in one snapshot,
-- so it is exact whether or not the fold has run.

-- The counts one case adds (sign +1) or takes away (sign -1), one row per basis it has a date for
-- and dimension. The one definition of the kept counts: the triggers and the backfill below go
-- through it.
CREATE FUNCTION gridctl_case_kpi_facts(sign int, state text, street text, department text, category text,
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

CREATE TABLE case_kpi (
    basis          text NOT NULL CHECK (basis IN ('created', 'closed')),
    dimension       text NOT NULL CHECK (dimension IN ('street', 'department', 'worker', 'category')),
    key            text,          -- null: no street (outside the streets) or no worker (unassigned)
    month          timestamptz NOT NULL,   -- the local month's first instant
    street_code    text,          -- for the street filter and row-level security
    cases          bigint NOT NULL, suspended bigint NOT NULL, filed bigint NOT NULL,
    filed_closed   bigint NOT NULL, closed bigint NOT NULL, closed_on_time bigint NOT NULL,
    checked        bigint NOT NULL, reworked bigint NOT NULL, dispatched bigint NOT NULL,
    extended       bigint NOT NULL, signed bigint NOT NULL, sign_seconds bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (basis, dimension, month, street_code, key)
);
-- Append-only between folds; no index, so that an intake pays for one heap insert.
CREATE TABLE case_kpi_delta (LIKE case_kpi);

ALTER TABLE case_kpi ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_kpi_delta ENABLE ROW LEVEL SECURITY;
-- Street and district users only: a grid worker's own view (their grids and the cases assigned to
-- them) is not a street, so the report reads their cases one by one (CaseKpiResource).
CREATE POLICY scope ON case_kpi TO gridctl_app USING (gridctl_scope_allows(street_code, NULL));
CREATE POLICY scope ON case_kpi_delta TO gridctl_app USING (gridctl_scope_allows(street_code, NULL));
-- Read only: the request role cannot write a count itself; the capture below writes as the owner.
GRANT SELECT ON case_kpi, case_kpi_delta TO gridctl_app;

-- The capture: statement triggers, grouped per statement (a batch of intakes or a million-row history
-- adds a few rows a dimension). An update adds its new rows and takes its old ones away; what did not
-- change nets to zero and is not written (most updates, such as an escalation, touch no count).
-- The three branches repeat one grouped SELECT over different transition tables: a transition
-- table can be named only in the statement text of its own trigger's function, not passed on.
-- SECURITY DEFINER: it writes as the owner, whatever the scope of the user whose change it counts
-- (a grid worker's own scope is no street, and no request role may write counts directly).
CREATE FUNCTION gridctl_case_kpi_capture() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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

CREATE TRIGGER case_kpi_ins AFTER INSERT ON civic_case
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_case_kpi_capture();
CREATE TRIGGER case_kpi_upd AFTER UPDATE ON civic_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_case_kpi_capture();
CREATE TRIGGER case_kpi_del AFTER DELETE ON civic_case
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_case_kpi_capture();

-- The fold: moves the appended rows into case_kpi. One fold at a time (a second caller returns 0 at
-- once), so two folds never upsert the same counters in different orders. Rows appended by
-- transactions still open are not seen by the DELETE and wait for the next fold. Returns the rows moved.
CREATE FUNCTION gridctl_case_kpi_compact() RETURNS bigint LANGUAGE plpgsql AS $$
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

-- The counts of the cases already there.
INSERT INTO case_kpi
SELECT f.basis, f.dimension, f.key, f.month, f.street_code, sum(f.cases), sum(f.suspended), sum(f.filed),
       sum(f.filed_closed), sum(f.closed), sum(f.closed_on_time), sum(f.checked), sum(f.reworked),
       sum(f.dispatched), sum(f.extended), sum(f.signed), sum(f.sign_seconds)
FROM civic_case c
CROSS JOIN LATERAL gridctl_case_kpi_facts(1, c.state, c.street_code, c.department_code, c.category_code,
    c.assignee_id, c.created_at, c.closed_at, c.filed_at IS NOT NULL, c.first_dispatched_at IS NOT NULL,
    c.closed_on_time, c.check_count, c.rework_count, c.extension_count, c.time_to_sign_s) f
GROUP BY 1, 2, 3, 4, 5
-- in the order of the key, so that a report's rows (one basis and dimension) lie together on disk
ORDER BY 1, 2, 4, 5, 3;

-- A period by closure that does not start or end on a month boundary reads its partial months case by
-- case, by closing date: the same facts as civic_case_kpi, for the closed cases only (an intake, not
-- yet closed, does not enter this index).
CREATE INDEX civic_case_kpi_closed ON civic_case (closed_at)
    INCLUDE (street_code, grid_code, department_code, assignee_id, category_code, state, filed_at,
             first_dispatched_at, closed_on_time, deadline, check_count, rework_count, extension_count,
             time_to_sign_s)
    WHERE closed_at IS NOT NULL;
