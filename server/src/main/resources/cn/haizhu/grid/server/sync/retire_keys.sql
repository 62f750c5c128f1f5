-- Retires every live key of peer $1 but its newest (the end of a rotation): the hashes retired.
UPDATE sync_peer_key SET retired_at = now()
WHERE peer_code = $1 AND retired_at IS NULL
  AND id <> (SELECT max(id) FROM sync_peer_key WHERE peer_code = $1 AND retired_at IS NULL)
RETURNING key_hash
