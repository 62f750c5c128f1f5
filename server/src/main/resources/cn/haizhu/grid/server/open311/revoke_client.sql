-- Revokes the live client of a name: the key hash it had (to drop from the cache), or no row.
UPDATE open311_client SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING key_hash
