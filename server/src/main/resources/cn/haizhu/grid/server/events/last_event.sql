-- The last event id given out (V46__events_log.sql; the log always keeps the last transaction's
-- events): where a stream that brings no Last-Event-ID starts.
SELECT coalesce((SELECT first_id + events - 1 FROM event_commit ORDER BY first_id DESC LIMIT 1), 0) AS last_id
