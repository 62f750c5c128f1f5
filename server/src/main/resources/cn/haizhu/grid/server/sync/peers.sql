-- Every peer with its live keys and the state of the pull of its feed, for ./gridctl sync peer list,
-- sync status and the wall's links (GET /api/v1/sync/links); checked_at: the database's clock, which
-- wrote the times the state is judged by.
SELECT p.code, p.level, p.direction, p.url, p.scope_kind, p.scope_code, p.created_at, p.registered_at,
       (SELECT count(*) FROM sync_peer_key k WHERE k.peer_code = p.code AND k.retired_at IS NULL) AS live_keys,
       (SELECT max(k.last_used_at) FROM sync_peer_key k WHERE k.peer_code = p.code) AS last_called_at,
       c.cursor, c.applied_at, c.changes_applied, coalesce(c.link_up, false) AS link_up, c.last_contact_at,
       c.down_since, c.last_error, c.last_error_at, c.lag_changes, c.lag_seconds,
       (SELECT count(*) FROM sync_conflict x WHERE x.decided_at IS NULL AND x.from_peer = p.code) AS conflicts_waiting,
       now() AS checked_at
FROM sync_peer p
LEFT JOIN sync_checkpoint c ON c.peer_code = p.code
ORDER BY p.direction DESC, p.code
