-- Every client, live ones first: the user it acts as, who made it, when, last use, revocation.
SELECT c.name, u.username AS acts_as, u.role, u.scope_kind, u.scope_code, c.created_by, c.created_at,
       c.revoked_at, c.last_used_at
FROM open311_client c JOIN app_user u ON u.id = c.acts_as_user_id
ORDER BY c.revoked_at IS NOT NULL, c.name, c.created_at DESC
