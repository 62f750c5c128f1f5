-- Checks the throttle, compares the candidate hash and, when it matches, stores the new token's hash:
-- the user's id (null: wrong, or refused), and the seconds to wait when the throttle refused.
SELECT signed_in_user, wait_seconds FROM gridctl_sign_in_attempt($1, $2, $3, $4, $5, $6)
