INSERT INTO security_alert (kind, user_id, username, details) VALUES ('lookup_misses', $1, $2, $3)
