UPDATE import_job SET status = ?, phase = 'done', rows_read = ?, rows_inserted = ?, rows_updated = ?,
       rows_unchanged = ?, rows_rejected = ?, rows_warned = ?, message = ?, finished_at = now(),
       heartbeat_at = now(), file_sha256 = ?
WHERE id = ?
