-- The peer a key (its SHA-256) belongs to while the key is live, through the one function the request
-- role may call for it (R__sync_functions.sql); it notes the key's last use too.
SELECT peer_code, level, scope_kind, scope_code FROM gridctl_sync_peer_caller($1)
