-- The upstream accepted the key to read this node's feed.
UPDATE sync_peer SET registered_at = now() WHERE code = $1
