-- The persons a snapshot carried to a peer: the personal-data audit, purpose sync:<peer>, one row per
-- snapshot with its count (docs/SECURITY.md, "Personal data").
INSERT INTO pii_audit (user_id, username, role, action, subject, row_count, request_path, client_ip, purpose, masked)
VALUES (NULL, ?, 'peer', 'sync', ?, ?, ?, ?, ?, false)
