-- The pull of peer ? failed with error ?: the link is down since its first failure.
INSERT INTO sync_checkpoint (peer_code, link_up, down_since, last_error, last_error_at)
VALUES (?, false, now(), ?, now())
ON CONFLICT (peer_code) DO UPDATE SET link_up = false,
    down_since = coalesce(sync_checkpoint.down_since, now()), last_error = EXCLUDED.last_error, last_error_at = now()
