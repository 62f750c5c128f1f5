-- The changes from peer ? waiting for a reference, in the order they were put aside.
SELECT change::text FROM sync_deferred WHERE peer_code = ? ORDER BY deferred_at, record_gid
