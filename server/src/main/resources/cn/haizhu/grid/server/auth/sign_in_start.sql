-- What a sign-in needs before it hashes (R__auth_functions.sql): the salt and iterations (unknown users
-- get a salt too: V21), whether the address signed in to the account before, and the seconds the
-- shared throttle makes the address and the account wait (V47).
SELECT iterations, salt, known_address, address_wait, account_wait FROM gridctl_sign_in_start($1, $2)
