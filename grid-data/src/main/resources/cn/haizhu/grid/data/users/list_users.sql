SELECT username, display_name, role, scope_kind, scope_code, disabled, created_at
FROM app_user ORDER BY username
