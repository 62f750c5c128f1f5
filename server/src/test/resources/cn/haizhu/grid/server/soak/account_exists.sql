SELECT count(*) > 0 FROM app_user WHERE username = ?
