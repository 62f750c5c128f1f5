-- The salt and iterations to hash a candidate password with, and whether the address signed in to the
-- account before (V21: the request role never reads a stored hash; unknown users get a salt too).
SELECT iterations, salt, known_address FROM gridctl_password_salt($1, $2)
