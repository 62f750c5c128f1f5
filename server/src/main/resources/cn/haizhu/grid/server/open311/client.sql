-- One client by id, as clients.sql lists it.
SELECT c.name, u.username AS acts_as, u.role, u.scope_kind, u.scope_code, c.created_by, c.created_at,
       c.revoked_at, c.last_used_at
FROM open311_client c JOIN app_user u ON u.id = c.acts_as_user_id
WHERE c.id = $1
