-- Requests log in as gridctl_app, an ordinary role (docs/SECURITY.md, "Database roles").
--
-- Until now the request pool logged in as the owner (the embedded cluster's superuser) and switched
-- to gridctl_app with SET LOCAL ROLE; one injected RESET ROLE would have undone row-level security
-- and reached COPY … TO PROGRAM. Now the pool logs in as gridctl_app itself (the server gives it a
-- password at start, RequestRole.java): no superuser, no BYPASSRLS, member of no role, so nothing it
-- runs can become the owner.
--
-- Sign-in needs the password hashes and the token table, which gridctl_app may not read or write.
-- It goes through four functions that run as the owner and answer only what the caller is entitled
-- to: a salt to hash a candidate password with, a sign-in that compares the hash inside the database
-- and issues a token in the same step, the user a token belongs to, and a revocation. No request
-- path ever holds a stored password hash, and no token can be made without a password.

ALTER ROLE gridctl_app NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT;

-- Where a token was issued: a user's known addresses are spared the per-account sign-in delay
-- (an attacker's flood against an account must not lock its owner out; SignInThrottle.java).
ALTER TABLE auth_token ADD COLUMN client_address text;
CREATE INDEX auth_token_user_address ON auth_token (user_id, client_address, created_at);

-- A secret of the database's own, never granted: unknown user names get a salt derived from it,
-- the same one every time, so a sign-in cannot tell unknown names from known ones.
CREATE TABLE auth_secret (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    salt_key  text NOT NULL
);
INSERT INTO auth_secret (salt_key) VALUES (gen_random_uuid()::text || gen_random_uuid()::text);

-- The salt and cost to hash a candidate password with, and whether this address signed in to this
-- account during the last 30 days. A made-up salt for unknown or disabled users.
CREATE FUNCTION gridctl_password_salt(p_username text, p_address text)
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

-- Compares the candidate's hash with the stored one and, when they match, stores the new token's
-- hash. Answers the user's id, or NULL for a wrong password, an unknown or a disabled user.
CREATE FUNCTION gridctl_sign_in(p_username text, p_candidate text, p_token_hash bytea, p_kind text,
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

-- The signed-in user a live token belongs to, with role, permissions, scope and worker id.
CREATE FUNCTION gridctl_token_caller(p_token_hash bytea)
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

CREATE FUNCTION gridctl_revoke_token(p_token_hash bytea) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH revoked AS (
        UPDATE auth_token SET revoked_at = now() WHERE token_hash = p_token_hash AND revoked_at IS NULL RETURNING 1)
    SELECT count(*) > 0 FROM revoked
$$;

-- Functions are executable by PUBLIC unless revoked; the ones that run as the owner are granted
-- one by one to the request role and to no one else.
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND p.prosecdef LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION gridctl_password_salt(text, text), gridctl_sign_in(text, text, bytea, text, timestamptz, text),
                          gridctl_token_caller(bytea), gridctl_revoke_token(bytea) TO gridctl_app;
GRANT EXECUTE ON FUNCTION gridctl_route_case(double precision, double precision) TO gridctl_app;

-- /health reads the schema version; the import page reads the jobs the importer (the owner) writes.
GRANT SELECT ON flyway_schema_history, import_job TO gridctl_app;

-- The audit of personal-data reads is append-only for everyone but the owner's maintenance: the
-- request role may only add to it (V1 grants INSERT alone), and a trigger refuses changes and
-- deletions from any role, so not even a mistaken grant opens it.
CREATE FUNCTION gridctl_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the personal-data audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER pii_audit_append_only BEFORE UPDATE OR DELETE ON pii_audit
    FOR EACH ROW EXECUTE FUNCTION gridctl_audit_append_only();
CREATE TRIGGER pii_audit_no_truncate BEFORE TRUNCATE ON pii_audit
    FOR EACH STATEMENT EXECUTE FUNCTION gridctl_audit_append_only();
