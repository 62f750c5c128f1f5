-- One row per response that carried person records, in the same transaction as the read.
INSERT INTO pii_audit (user_id, username, role, action, subject, row_count, request_path, client_ip, purpose, masked,
                       person_gids)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
