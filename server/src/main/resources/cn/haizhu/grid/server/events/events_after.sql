-- A reconnecting stream's catch-up (V46__events_log.sql): the logged events after its last one ($1), in
-- id order, at most $2, each with its id (the first id of its transaction, event_commit, plus its place
-- among the transaction's events) as it was notified; and the log's edges, read in the same snapshot:
-- the oldest id kept and the last id given out. Every transaction numbered up to last_id is committed,
-- so what is kept from the oldest to last_id has no hole (but for a commit that failed after taking its
-- ids). A row with the edges alone when there is no event after $1.
WITH edges AS (
    SELECT (SELECT c.first_id FROM event_commit c ORDER BY c.first_id LIMIT 1) AS oldest,
           coalesce((SELECT c.first_id + c.events - 1 FROM event_commit c ORDER BY c.first_id DESC LIMIT 1), 0) AS last_id
), after AS (
    SELECT c.first_id + x.k AS id, x.payload || jsonb_build_object('event_id', c.first_id + x.k) AS payload
    FROM event_commit c
    CROSS JOIN LATERAL (SELECT row_number() OVER (ORDER BY l.n) - 1 AS k, l.payload
                        FROM event_log l WHERE l.txid = c.txid) x
    -- the transaction that holds the event after $1, and those after it
    WHERE c.first_id >= coalesce((SELECT max(c2.first_id) FROM event_commit c2 WHERE c2.first_id <= $1 + 1), 0)
      AND c.first_id + x.k > $1
    ORDER BY 1
    LIMIT $2
)
SELECT a.id, a.payload::text AS payload, w.oldest, w.last_id
FROM edges w LEFT JOIN after a ON true
ORDER BY a.id
