-- The event stream's log (V46__events_log.sql, docs/CLUSTER.md "Stateless instances"): the current
-- body of each function; the triggers are attached in V46. See docs/MIGRATIONS.md.
--
-- Triggers that raise events (civic_case_notify, security_alert_notify) append them to event_pending;
-- at commit, gridctl_events_seal numbers them in commit order, logs them and notifies each on
-- gridctl_events with its id (event_id). The server relays them over SSE and replays the log to a
-- stream that reconnects with Last-Event-ID (server/.../events/EventLog).

-- Numbers the events of the committing transaction (a deferred constraint trigger on event_pending:
-- it runs at commit, once per pending row; the first call does the work). The row lock on the
-- counter is held to the end of the commit, so ids rise with commit order and have no holes.
-- SECURITY DEFINER: it runs at the commit of whoever raised the events (the request role too), and
-- writes what no request role may. Fired by the trigger only: executable by no one else.
CREATE OR REPLACE FUNCTION gridctl_events_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_count integer;
    v_first bigint;
    r       record;
BEGIN
    SELECT coalesce(sum(jsonb_array_length(p.events)), 0) INTO v_count
    FROM event_pending p WHERE p.txid = pg_current_xact_id();
    IF v_count = 0 THEN
        RETURN NULL;   -- an earlier call of this commit sealed them all
    END IF;
    UPDATE event_counter SET last_id = last_id + v_count RETURNING last_id - v_count INTO v_first;
    WITH mine AS (
        DELETE FROM event_pending p WHERE p.txid = pg_current_xact_id() RETURNING p.n, p.events
    ), numbered AS (
        SELECT v_first + row_number() OVER (ORDER BY m.n, e.ord) AS id, e.event
        FROM mine m CROSS JOIN LATERAL jsonb_array_elements(m.events) WITH ORDINALITY AS e(event, ord)
    )
    INSERT INTO event_log (id, at, payload)
    SELECT id, clock_timestamp(), event || jsonb_build_object('event_id', id) FROM numbered;
    FOR r IN SELECT l.payload FROM event_log l WHERE l.id > v_first AND l.id <= v_first + v_count ORDER BY l.id LOOP
        PERFORM pg_notify('gridctl_events', r.payload::text);
    END LOOP;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_events_seal() FROM PUBLIC;

-- Keeps the log to its window: the events of the last `keep`, at most `max_rows` of them. It deletes
-- from the oldest id up, so the log always holds every id from its first to the last given out (a
-- stream further behind is told to reload: EventLog). One caller at a time; another returns NULL at
-- once, so every server instance may run it. Run by the server as the owner; returns the rows deleted.
CREATE OR REPLACE FUNCTION gridctl_events_prune(keep interval, max_rows bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_below   bigint;
    v_deleted bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('gridctl_events_prune')) THEN
        RETURN NULL;
    END IF;
    SELECT greatest((SELECT last_id FROM event_counter) - max_rows + 1,
                    (SELECT max(id) + 1 FROM event_log WHERE at < now() - keep)) INTO v_below;
    DELETE FROM event_log WHERE id < v_below;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END $$;
