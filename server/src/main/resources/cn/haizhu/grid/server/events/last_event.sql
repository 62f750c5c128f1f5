-- The last event id given out (V46__events_log.sql): where a stream that brings no Last-Event-ID starts.
SELECT last_id FROM event_counter
