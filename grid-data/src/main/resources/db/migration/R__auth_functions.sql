-- Sign-in under the request role (docs/SECURITY.md, "Database roles"): the current body of each
-- function; history stays in the versioned migration (V21). See docs/MIGRATIONS.md.
--
-- Requests log in as gridctl_app, which may not read or write the password hashes or the token
-- table. Sign-in goes through four functions that run as the owner and answer only what the caller
-- is entitled to: a salt to hash a candidate password with, a sign-in that compares the hash inside
-- the database and issues a token in the same step, the user a token belongs to, and a revocation.
-- No request path ever holds a stored password hash, and no token can be made without a password.
-- Functions are executable by PUBLIC unless revoked: each one that runs as the owner is revoked from
-- PUBLIC and granted to the request role alone (RequestRoleIT checks).

-- The salt and cost to hash a candidate password with, and whether this address signed in to this
-- account during the last 30 days (SignInThrottle spares a user's known addresses). Unknown or
-- disabled users get a made-up salt derived from auth_secret, the same one every time, so a sign-in
-- cannot tell unknown names from known ones.
CREATE OR REPLACE FUNCTION gridctl_password_salt(p_username text, p_address text)
RETURNS TABLE (iterations integer, salt text, known_address boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(split_part(u.password_hash, '$', 2)::integer, 600000),
           coalesce(split_part(u.password_hash, '$', 3),
                    rtrim(encode(substr(sha256(convert_to(p_username || (SELECT salt_key FROM auth_secret), 'UTF8')), 1, 16), 'base64'), '=')),
           coalesce((SELECT true FROM auth_token t
                      WHERE t.user_id = u.id AND t.client_address = p_address
                        AND t.created_at > now() - interval '30 days' LIMIT 1), false)
    FROM (SELECT 1) one
    LEFT JOIN app_user u ON u.username = p_username AND NOT u.disabled
$$;
REVOKE EXECUTE ON FUNCTION gridctl_password_salt(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_password_salt(text, text) TO gridctl_app;

-- Compares the candidate's hash with the stored one and, when they match, stores the new token's
-- hash. Answers the user's id, or NULL for a wrong password, an unknown or a disabled user.
CREATE OR REPLACE FUNCTION gridctl_sign_in(p_username text, p_candidate text, p_token_hash bytea, p_kind text,
                                p_expires_at timestamptz, p_address text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_user bigint;
BEGIN
    SELECT u.id INTO v_user FROM app_user u
     WHERE u.username = p_username AND NOT u.disabled
       AND split_part(u.password_hash, '$', 4) = p_candidate;
    IF v_user IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO auth_token (token_hash, user_id, kind, expires_at, client_address)
    VALUES (p_token_hash, v_user, p_kind, p_expires_at, p_address);
    RETURN v_user;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_sign_in(text, text, bytea, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_sign_in(text, text, bytea, text, timestamptz, text) TO gridctl_app;

-- The signed-in user a live token belongs to, with role, permissions, scope and worker id.
CREATE OR REPLACE FUNCTION gridctl_token_caller(p_token_hash bytea)
RETURNS TABLE (id bigint, username text, display_name text, role text, permissions text[], scope_kind text,
               scope_code text, worker_id bigint, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.username, u.display_name, u.role, r.permissions, u.scope_kind, u.scope_code,
           (SELECT w.id FROM grid_worker w WHERE w.user_id = u.id AND w.active ORDER BY w.id LIMIT 1),
           t.expires_at
    FROM auth_token t
    JOIN app_user u ON u.id = t.user_id
    JOIN app_role r ON r.code = u.role
    WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT u.disabled
$$;
REVOKE EXECUTE ON FUNCTION gridctl_token_caller(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_token_caller(bytea) TO gridctl_app;

-- Ends a token (sign-out); true when it had not been revoked yet.
CREATE OR REPLACE FUNCTION gridctl_revoke_token(p_token_hash bytea) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH revoked AS (
        UPDATE auth_token SET revoked_at = now() WHERE token_hash = p_token_hash AND revoked_at IS NULL RETURNING 1)
    SELECT count(*) > 0 FROM revoked
$$;
REVOKE EXECUTE ON FUNCTION gridctl_revoke_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_revoke_token(bytea) TO gridctl_app;
