-- The URL a downstream peer said its feed is served at (kept when it names none): whether it is a downstream peer.
UPDATE sync_peer SET url = coalesce($2, url) WHERE code = $1 AND direction = 'down' RETURNING code
