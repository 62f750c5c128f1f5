-- Conflict ? if it lies in the deciding officer's scope, locked until decided.
SELECT table_name, record_gid, request_op, request_record::text AS request_record, decided_at
FROM sync_conflict
WHERE id = ? AND gridctl_scope_allows(street_code, NULL)
FOR UPDATE
