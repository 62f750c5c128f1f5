-- A change from peer ? of record ? (table ?) that cannot apply yet (? the change as it came, ? why): it waits
-- here, in place of an earlier one of the same record from that peer.
INSERT INTO sync_deferred (peer_code, record_gid, table_name, change, failure)
VALUES (?, ?::uuid, ?, ?::jsonb, ?)
ON CONFLICT (peer_code, record_gid) DO UPDATE SET table_name = EXCLUDED.table_name, change = EXCLUDED.change,
    failure = EXCLUDED.failure, deferred_at = now(), tried_at = now()
