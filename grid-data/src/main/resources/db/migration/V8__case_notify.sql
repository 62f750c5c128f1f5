-- Cases are pushed, never tiled: every committed intake or change of a case raises one event on
-- the gridctl_events channel (the server relays it to the open desks, tablets and map walls over
-- SSE, each filtered by the viewer's data scope). NOTIFY is delivered at commit, so a page never
-- hears of a change that rolled back. A statement writing hundreds of cases at once (a history
-- load) raises a single case.bulk event instead of flooding the pages.

CREATE FUNCTION civic_case_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM new_rows;
    IF n > 200 THEN
        PERFORM pg_notify('gridctl_events', json_build_object('type', 'case.bulk', 'count', n)::text);
        RETURN NULL;
    END IF;
    PERFORM pg_notify('gridctl_events', json_build_object(
            'type', CASE TG_OP WHEN 'INSERT' THEN 'case.created' ELSE 'case.changed' END,
            'id', r.gid, 'number', r.case_number, 'state', r.state, 'title', left(r.title, 100),
            'category', r.category_code, 'urgency', r.urgency,
            'street_code', r.street_code, 'grid_code', r.grid_code, 'assignee_id', r.assignee_id,
            'lon', ST_X(r.geom), 'lat', ST_Y(r.geom), 'deadline', r.deadline, 'version', r.version)::text)
    FROM new_rows r;
    RETURN NULL;
END $$;

CREATE TRIGGER civic_case_notify_ins AFTER INSERT ON civic_case
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION civic_case_notify();
CREATE TRIGGER civic_case_notify_upd AFTER UPDATE ON civic_case
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION civic_case_notify();
