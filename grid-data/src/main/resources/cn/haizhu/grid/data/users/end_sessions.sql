UPDATE auth_token t SET revoked_at = now() FROM app_user u
WHERE u.id = t.user_id AND u.username = ? AND t.revoked_at IS NULL
