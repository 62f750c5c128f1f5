-- The handling of an order this node sent down, as the level below's case came up (docs/SYNC.md): this
-- node's case of the order (its number ?, sent to peer ?) takes the handling's state ?, its case number ?
-- and version ?; when the handling closed it (at ?, null otherwise), the closing, on time when it came
-- before the order's deadline. Only a newer version of the handling applies: one already held, or an
-- older one, changes nothing.
UPDATE civic_case SET state = h.state, handling_case_number = h.number, handling_version = h.version,
       closed_at = coalesce(h.closed, closed_at),
       closed_on_time = CASE WHEN h.closed IS NULL THEN closed_on_time ELSE coalesce(h.closed <= deadline, true) END
FROM (SELECT ?::text AS state, ?::text AS number, ?::bigint AS version, ?::timestamptz AS closed) h
WHERE case_number = ? AND handling_node = ? AND (handling_version IS NULL OR handling_version < h.version)
