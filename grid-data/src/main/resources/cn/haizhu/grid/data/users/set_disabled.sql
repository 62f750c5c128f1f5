UPDATE app_user SET disabled = ? WHERE username = ?
