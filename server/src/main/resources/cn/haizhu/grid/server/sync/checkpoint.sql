-- A batch of peer ? applied: its cursor ?, how many changes ?, the lag it left (changes ?, seconds ?),
-- in the batch's own transaction; the link is up.
INSERT INTO sync_checkpoint (peer_code, cursor, applied_at, changes_applied, link_up, last_contact_at, down_since,
                             lag_changes, lag_seconds)
VALUES (?, ?, now(), ?, true, now(), NULL, ?, ?)
ON CONFLICT (peer_code) DO UPDATE SET cursor = EXCLUDED.cursor, applied_at = EXCLUDED.applied_at,
    changes_applied = sync_checkpoint.changes_applied + EXCLUDED.changes_applied, link_up = true,
    last_contact_at = EXCLUDED.last_contact_at, down_since = NULL, lag_changes = EXCLUDED.lag_changes,
    lag_seconds = EXCLUDED.lag_seconds
