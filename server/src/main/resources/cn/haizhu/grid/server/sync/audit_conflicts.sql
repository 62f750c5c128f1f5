-- The persons a list of conflicts showed (masked) to an officer: the personal-data audit.
INSERT INTO pii_audit (user_id, username, role, action, subject, row_count, request_path, client_ip, purpose, masked,
                       person_gids)
VALUES ($1, $2, $3, 'read', 'list sync_conflict', $4, $5, $6, 'sync conflicts', true, $7)
