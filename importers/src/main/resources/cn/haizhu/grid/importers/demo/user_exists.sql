SELECT 1 FROM app_user WHERE username = ?
