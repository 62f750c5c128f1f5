-- A new live key (its SHA-256) for peer $1, unless it has two live keys already (retire one first):
-- its id, or no row.
INSERT INTO sync_peer_key (peer_code, key_hash)
SELECT $1, $2
WHERE EXISTS (SELECT 1 FROM sync_peer WHERE code = $1)
  AND (SELECT count(*) FROM sync_peer_key WHERE peer_code = $1 AND retired_at IS NULL) < 2
RETURNING id
