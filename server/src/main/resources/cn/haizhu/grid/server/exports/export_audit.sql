-- One entry per export in the personal-data audit (docs/SECURITY.md, "Exports"), committed before the
-- export reads its first row, so that no export leaves unrecorded, one cut short or a process killed
-- included. The subject names the query (collection, format, street, filter); the row count is not
-- known yet and the audit is append-only, so it stays NULL (V45), and no person is named one by one.
INSERT INTO pii_audit (user_id, username, role, action, subject, row_count, request_path, client_ip, purpose, masked)
VALUES (?, ?, ?, 'export', ?, NULL, ?, ?, ?, ?)
