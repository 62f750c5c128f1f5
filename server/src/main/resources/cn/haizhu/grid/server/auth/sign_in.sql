-- Compares the candidate hash and, when it matches, stores the new token's hash: the user's id, or null.
SELECT gridctl_sign_in($1, $2, $3, $4, $5, $6) AS user_id
