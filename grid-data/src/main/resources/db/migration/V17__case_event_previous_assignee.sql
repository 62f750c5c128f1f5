-- A case taken from one grid worker and given to another (改派, or a dispatcher's override) raised
-- its event for the new assignee only: the previous worker's tablet kept showing it as theirs until
-- its next reload. The event of an update now names the previous assignee when it changed
-- (previous_assignee_id), and the event stream lets that worker hear it too (EventStreamResource).

CREATE OR REPLACE FUNCTION civic_case_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM new_rows;
    IF n > 200 THEN
        PERFORM pg_notify('gridctl_events', json_build_object('type', 'case.bulk', 'count', n)::text);
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM pg_notify('gridctl_events', json_build_object(
                'type', 'case.changed',
                'id', r.gid, 'number', r.case_number, 'state', r.state, 'title', left(r.title, 100),
                'category', r.category_code, 'urgency', r.urgency,
                'street_code', r.street_code, 'grid_code', r.grid_code, 'assignee_id', r.assignee_id,
                'previous_assignee_id', CASE WHEN o.assignee_id IS DISTINCT FROM r.assignee_id THEN o.assignee_id END,
                'lon', ST_X(r.geom), 'lat', ST_Y(r.geom), 'deadline', r.deadline, 'version', r.version)::text)
        FROM new_rows r LEFT JOIN old_rows o ON o.gid = r.gid;
        RETURN NULL;
    END IF;
    PERFORM pg_notify('gridctl_events', json_build_object(
            'type', 'case.created',
            'id', r.gid, 'number', r.case_number, 'state', r.state, 'title', left(r.title, 100),
            'category', r.category_code, 'urgency', r.urgency,
            'street_code', r.street_code, 'grid_code', r.grid_code, 'assignee_id', r.assignee_id,
            'lon', ST_X(r.geom), 'lat', ST_Y(r.geom), 'deadline', r.deadline, 'version', r.version)::text)
    FROM new_rows r;
    RETURN NULL;
END $$;

DROP TRIGGER civic_case_notify_upd ON civic_case;
CREATE TRIGGER civic_case_notify_upd AFTER UPDATE ON civic_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION civic_case_notify();
