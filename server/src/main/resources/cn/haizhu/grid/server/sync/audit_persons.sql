-- The persons a feed answer carried to a peer, in the transaction that read them: the personal-data
-- audit, purpose sync:<peer> (docs/SECURITY.md, "Personal data").
INSERT INTO pii_audit (user_id, username, role, action, subject, row_count, request_path, client_ip, purpose, masked,
                       person_gids)
VALUES (NULL, $1, 'peer', 'sync', $2, $3, $4, $5, $6, false, $7)
