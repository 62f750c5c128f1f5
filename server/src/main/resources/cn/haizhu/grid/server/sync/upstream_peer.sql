-- The upstream peer as configured (sync.upstream.url): made or updated at every start.
INSERT INTO sync_peer (code, level, direction, url, scope_kind, scope_code)
VALUES ($1, $2, 'up', $3, $4, $5)
ON CONFLICT (code) DO UPDATE SET url = EXCLUDED.url, level = EXCLUDED.level, direction = 'up',
    scope_kind = EXCLUDED.scope_kind, scope_code = EXCLUDED.scope_code
