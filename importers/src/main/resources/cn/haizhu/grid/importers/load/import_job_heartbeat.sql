UPDATE import_job SET phase = ?, rows_read = ?, rows_rejected = ?, rows_warned = ?, heartbeat_at = now()
WHERE id = ?
