-- The event stream's log (V46__events_log.sql, docs/CLUSTER.md "Stateless instances"): the current
-- body of each function; the trigger is attached in V46. See docs/MIGRATIONS.md.
--
-- Triggers that raise events (civic_case_notify, security_alert_notify) call gridctl_events_raise;
-- at commit, gridctl_events_seal numbers the transaction's events in commit order and notifies each on
-- gridctl_events with its id (event_id). The server relays them over SSE and replays the log to a
-- stream that reconnects with Last-Event-ID (server/.../events/EventLog).

-- Raises events (a JSON array of objects, each with its type): logged now, numbered and notified at
-- the commit of this transaction, in this order. For the trigger functions that raise events, which
-- run as the owner; executable by no one else.
CREATE OR REPLACE FUNCTION gridctl_events_raise(p_events jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_log (payload)
    SELECT e.event FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(event, ord) ORDER BY e.ord;
    IF FOUND THEN
        INSERT INTO event_pending DEFAULT VALUES;   -- seal them at commit
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_events_raise(jsonb) FROM PUBLIC;

-- Numbers the events of the committing transaction (a deferred constraint trigger on event_pending:
-- it runs at commit, once per statement that raised events; the first call does the work). Reading
-- the events comes first; then a transaction lock held to the end of the commit, under which only the
-- ids are taken, one row recorded and the events notified: ids rise with commit order, and the lock
-- is held as briefly as it can be. A rollback after the ids were taken (the commit failing) leaves a
-- hole, which readers skip. SECURITY DEFINER: it runs at the commit of whoever raised the events
-- (the request role too), and writes what no request role may. Fired by the trigger only.
CREATE OR REPLACE FUNCTION gridctl_events_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_events jsonb[];
    v_first  bigint;
BEGIN
    DELETE FROM event_pending p WHERE p.txid = pg_current_xact_id();
    IF NOT FOUND THEN
        RETURN NULL;   -- an earlier call of this commit sealed them all
    END IF;
    SELECT array_agg(l.payload ORDER BY l.n) INTO v_events FROM event_log l WHERE l.txid = pg_current_xact_id();
    IF v_events IS NULL THEN
        RETURN NULL;
    END IF;
    -- from here to the end of the commit, one transaction at a time: keep it short
    PERFORM pg_advisory_xact_lock(hashtext('gridctl_events_seal'));
    v_first := nextval('event_id_seq');
    IF cardinality(v_events) > 1 THEN
        PERFORM setval('event_id_seq', v_first + cardinality(v_events) - 1);
    END IF;
    INSERT INTO event_commit (first_id, txid, events, at)
    VALUES (v_first, pg_current_xact_id(), cardinality(v_events), clock_timestamp());
    FOR i IN 1 .. cardinality(v_events) LOOP
        PERFORM pg_notify('gridctl_events', (v_events[i] || jsonb_build_object('event_id', v_first + i - 1))::text);
    END LOOP;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_events_seal() FROM PUBLIC;

-- Keeps the log to its window: the events of the transactions committed in the last `keep`, at most
-- about `max_rows` events, and always the last transaction's (so the last id given out stays known).
-- It deletes from the oldest up, so the log holds every id from its first to the last. One caller at
-- a time; another returns NULL at once, so every server instance may run it. Run by the server as
-- the owner; returns the events deleted.
CREATE OR REPLACE FUNCTION gridctl_events_prune(keep interval, max_rows bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_last    event_commit;
    v_below   bigint;
    v_deleted bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('gridctl_events_prune')) THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v_last FROM event_commit ORDER BY first_id DESC LIMIT 1;
    IF v_last IS NULL THEN
        RETURN 0;
    END IF;
    v_below := least(v_last.first_id,
                     greatest(v_last.first_id + v_last.events - max_rows,
                              (SELECT max(c.first_id) + 1 FROM event_commit c WHERE c.at < now() - keep)));
    WITH gone AS (DELETE FROM event_commit c WHERE c.first_id < v_below RETURNING c.txid)
    DELETE FROM event_log l USING gone g WHERE l.txid = g.txid;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END $$;
