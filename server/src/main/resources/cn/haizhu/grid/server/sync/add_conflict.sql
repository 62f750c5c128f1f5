-- 冲突待处理: an edit request that arrived after the owner's version moved (re-delivered: the same row).
INSERT INTO sync_conflict (table_name, record_gid, street_code, owner_version, owner_origin, request_op, request_version,
                           request_origin, request_base_version, request_base_origin, request_record, from_peer)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
ON CONFLICT (record_gid, request_version, request_origin) DO NOTHING
