-- A new peer: its code, level, direction, URL (or null) and scope; no row when it exists already.
INSERT INTO sync_peer (code, level, direction, url, scope_kind, scope_code)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (code) DO NOTHING
RETURNING code
