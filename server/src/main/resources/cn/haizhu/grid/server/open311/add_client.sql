-- A new client $1 with its key's hash $2, acting as the active user named $3, made by $4: its id, or no
-- row when there is no such user.
INSERT INTO open311_client (name, key_hash, acts_as_user_id, created_by)
SELECT $1, $2, u.id, $4 FROM app_user u WHERE u.username = $3 AND NOT u.disabled
RETURNING id
