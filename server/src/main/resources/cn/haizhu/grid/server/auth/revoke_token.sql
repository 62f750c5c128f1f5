-- Revokes a token by its SHA-256: whether there was a live one.
SELECT gridctl_revoke_token($1) AS revoked
