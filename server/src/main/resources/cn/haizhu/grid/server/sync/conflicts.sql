-- The conflicts in the caller's scope (row-level security), waiting ones only unless $1, newest first, up to $2.
SELECT id, table_name, record_gid, street_code, owner_version, owner_origin, request_op, request_version, request_origin,
       request_base_version, request_base_origin, request_record, from_peer, received_at, decided_at, decided_by, decision
FROM sync_conflict
WHERE $1 OR decided_at IS NULL
ORDER BY id DESC
LIMIT $2
