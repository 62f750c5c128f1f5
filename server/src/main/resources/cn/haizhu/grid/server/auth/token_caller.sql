-- Who a token (its SHA-256) belongs to, while it is neither expired nor revoked and the user not disabled.
SELECT id, username, display_name, role, permissions, scope_kind, scope_code, worker_id, expires_at
FROM gridctl_token_caller($1)
