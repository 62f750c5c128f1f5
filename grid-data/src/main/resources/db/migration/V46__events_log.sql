-- The event stream's log (docs/CLUSTER.md, "Stateless instances"): every event the pages hear
-- (case.*, security.*) gets an id from the database, numbered in the order the transactions that
-- raised them committed, and is kept for a few minutes, so that a page whose stream broke reconnects
-- to any server instance with Last-Event-ID and gets exactly what it missed: no gap, no repeat.
--
-- How the ids follow commit order: a trigger does not notify directly any more; it appends the
-- statement's events to event_pending (unlogged: they live only until their transaction ends). A
-- deferred constraint trigger on event_pending runs gridctl_events_seal() at commit, which takes the
-- one row of event_counter (its row lock held to the end of the commit), numbers the transaction's
-- events from it, writes them to event_log and notifies each with its id. A transaction that numbers
-- events after another therefore commits after it, and its ids are larger: every server instance
-- hears the same ids in the same, rising order, and the ids a reader sees are always all the ids up
-- to the largest it sees (a rollback gives its numbers back with the counter). The wait this adds is
-- only the commit itself, which PostgreSQL already serialises for every transaction that notifies.

CREATE TABLE event_log (
    id      bigint PRIMARY KEY,
    at      timestamptz NOT NULL,
    payload jsonb NOT NULL
);
COMMENT ON TABLE event_log IS 'Events of the pages'' stream in commit order, kept a few minutes for reconnecting streams (EventLog)';

CREATE TABLE event_counter (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint NOT NULL
);
INSERT INTO event_counter (last_id) VALUES (0);
COMMENT ON TABLE event_counter IS 'The last event id given out; its row lock orders the events of committing transactions';

CREATE UNLOGGED TABLE event_pending (
    txid   xid8   NOT NULL DEFAULT pg_current_xact_id(),
    n      bigint GENERATED ALWAYS AS IDENTITY,
    events jsonb  NOT NULL,
    PRIMARY KEY (txid, n)
);
COMMENT ON TABLE event_pending IS 'Events raised by open transactions, numbered and moved to event_log at their commit';

-- The same body as in R__events_functions.sql (a versioned migration may create, never redefine).
CREATE FUNCTION gridctl_events_seal() RETURNS trigger
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

CREATE CONSTRAINT TRIGGER event_pending_seal AFTER INSERT ON event_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gridctl_events_seal();

-- No grant to the request role: event_log holds the events of every street, and the server reads it
-- as the owner and filters each event for each stream (EventVisibility), as it does the live ones.
