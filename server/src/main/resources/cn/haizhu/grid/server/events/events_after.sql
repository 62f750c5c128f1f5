-- A reconnecting stream's catch-up: the logged events after its last one ($1), in order, at most $2
-- (V46__events_log.sql), with the log's edges read in the same snapshot: the oldest id still kept and
-- the last id given out. Every id up to last_id is committed, so what is kept from the oldest to
-- last_id has no hole. A row with the edges alone when there is no event after $1.
SELECT e.id, e.payload::text AS payload, w.oldest, w.last_id
FROM (SELECT (SELECT min(id) FROM event_log) AS oldest, (SELECT last_id FROM event_counter) AS last_id) w
LEFT JOIN LATERAL (SELECT l.id, l.payload FROM event_log l WHERE l.id > $1 ORDER BY l.id LIMIT $2) e ON true
ORDER BY e.id
