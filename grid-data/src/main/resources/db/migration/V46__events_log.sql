-- The event stream's log (docs/CLUSTER.md, "Stateless instances"): every event the pages hear
-- (case.*, security.*) gets an id from the database, numbered in the order the transactions that
-- raised them committed, and is kept for a few minutes, so that a page whose stream broke reconnects
-- to any server instance with Last-Event-ID and gets exactly what it missed: no gap, no repeat.
--
-- How the ids follow commit order: a trigger does not notify directly any more; it writes the
-- statement's events to event_log (not numbered yet) and a marker to event_pending (unlogged: it
-- lives only until its transaction ends). A deferred constraint trigger on event_pending runs
-- gridctl_events_seal() at commit, which reads the transaction's events, then takes a transaction
-- lock held to the end of the commit, takes as many ids from event_id_seq, records them in
-- event_commit (one row per transaction: its first id and how many) and notifies each event with its
-- id. A transaction that takes ids after another therefore commits after it, and its ids are larger:
-- every server instance hears the same ids in the same, rising order, and the ids a reader sees are
-- all the ids up to the largest it sees. The lock covers only the numbering, one small row and the
-- notifications; PostgreSQL already serialises the commits of transactions that notify.

CREATE SEQUENCE event_id_seq;
COMMENT ON SEQUENCE event_id_seq IS 'Event ids, given out only under the seal''s lock: they rise with commit order';

CREATE TABLE event_log (
    txid    xid8        NOT NULL DEFAULT pg_current_xact_id(),
    n       bigint      GENERATED ALWAYS AS IDENTITY,
    payload jsonb       NOT NULL,
    PRIMARY KEY (txid, n)
);
COMMENT ON TABLE event_log IS 'Events of the pages'' stream, by transaction; their ids are in event_commit (EventLog)';

CREATE TABLE event_commit (
    first_id bigint      PRIMARY KEY,
    txid     xid8        NOT NULL,
    events   integer     NOT NULL CHECK (events > 0),
    at       timestamptz NOT NULL
);
COMMENT ON TABLE event_commit IS 'Per committed transaction that raised events: the id of its first event and how many (in event_log order)';

CREATE UNLOGGED TABLE event_pending (
    txid xid8   NOT NULL DEFAULT pg_current_xact_id(),
    n    bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (txid, n)
);
COMMENT ON TABLE event_pending IS 'A statement of an open transaction raised events: seal them at its commit';

-- The same body as in R__events_functions.sql (a versioned migration may create, never redefine).
CREATE FUNCTION gridctl_events_seal() RETURNS trigger
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

CREATE CONSTRAINT TRIGGER event_pending_seal AFTER INSERT ON event_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gridctl_events_seal();

-- No grant to the request role: event_log holds the events of every street, and the server reads it
-- as the owner and filters each event for each stream (EventVisibility), as it does the live ones.
