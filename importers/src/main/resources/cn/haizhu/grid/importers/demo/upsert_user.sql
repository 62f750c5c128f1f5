INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash
