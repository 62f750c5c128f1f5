-- The client a key (its SHA-256) belongs to and the user it acts as, while neither is revoked or
-- disabled. As the owner, through the one function the request role may call (V27); it notes the last
-- use too.
SELECT client_id AS id, client_name AS name, user_id, username, role, permissions, scope_kind, scope_code,
       worker_id
FROM gridctl_open311_caller($1)
