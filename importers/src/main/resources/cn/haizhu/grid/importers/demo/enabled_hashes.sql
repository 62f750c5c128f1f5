SELECT username, password_hash FROM app_user WHERE NOT disabled AND username = ANY (?)
