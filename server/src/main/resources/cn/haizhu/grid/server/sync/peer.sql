-- One peer: its level, direction, URL, scope and whether it has registered.
SELECT code, level, direction, url, scope_kind, scope_code, registered_at FROM sync_peer WHERE code = $1
