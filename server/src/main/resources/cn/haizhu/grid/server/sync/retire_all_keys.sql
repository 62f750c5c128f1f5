-- Retires every live key of peer $1 (before this node gives it a new one to call with): the hashes retired.
UPDATE sync_peer_key SET retired_at = now() WHERE peer_code = $1 AND retired_at IS NULL RETURNING key_hash
