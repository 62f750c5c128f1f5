-- Sign-in under the request role (docs/SECURITY.md, "Database roles"): the current body of each
-- function; history stays in the versioned migration (V21). See docs/MIGRATIONS.md.
--
-- Requests log in as gridctl_app, which may not read or write the password hashes or the token
-- table. Sign-in goes through functions that run as the owner and answer only what the caller is
-- entitled to: a salt to hash a candidate password with (and how long the throttle makes it wait), a
-- sign-in that checks the throttle, compares the hash inside the database and issues a token in the
-- same step, the user a token belongs to, and a revocation.
-- No request path ever holds a stored password hash, and no token can be made without a password.
-- Functions are executable by PUBLIC unless revoked: each one that runs as the owner is revoked from
-- PUBLIC and granted to the request role alone (RequestRoleIT checks).

-- Whether this address signed in to this account during the last 30 days (the account's own desk:
-- the throttle judges it by the pair's own count, so a flood from elsewhere never makes it wait).
-- The throttle's helpers are PL/pgSQL without SET clauses: they run inside the sign-in functions (whose
-- search_path they share), and PL/pgSQL keeps their plans for the session, where an SQL function that
-- cannot be inlined is planned again on every call: a flood of sign-ins is answered by these.
CREATE OR REPLACE FUNCTION gridctl_sign_in_known(p_username text, p_address text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM app_user u JOIN auth_token t ON t.user_id = u.id
                   WHERE u.username = p_username AND NOT u.disabled AND t.client_address = p_address
                     AND t.created_at > now() - interval '30 days');
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_sign_in_known(text, text) FROM PUBLIC;

-- The sign-in throttle (auth/SignInThrottle, docs/SECURITY.md "Sign-in"), counted here so that every
-- server instance sees the same counts (V47). Three counts, each with its free allowance: per client
-- address across accounts ('a:', 20), per account from addresses new to it ('u:', 5), per account and
-- known address ('p:', 10). Past the allowance each failure doubles the wait: 1 s, 2 s, 4 s … up to
-- 15 min; a count is forgotten 30 min after its last failure, and an account's at once on a good
-- password. Never a lockout.
CREATE OR REPLACE FUNCTION gridctl_sign_in_delay(p_failures integer, p_free integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_failures <= p_free THEN 0
                WHEN p_failures - p_free > 10 THEN 900
                ELSE least(900, 1 << (p_failures - p_free - 1)) END
$$;

-- The seconds a count's key must still wait (0: none), its allowance told by the key's kind.
CREATE OR REPLACE FUNCTION gridctl_sign_in_wait(p_key text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce((SELECT greatest(0, ceil(extract(epoch FROM f.last_at - now())
                            + gridctl_sign_in_delay(f.failures, CASE left(p_key, 2) WHEN 'a:' THEN 20 WHEN 'p:' THEN 10 ELSE 5 END)))
                     FROM sign_in_failure f
                     WHERE f.key = p_key AND f.last_at > now() - interval '30 minutes'), 0)::integer;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_sign_in_wait(text) FROM PUBLIC;

-- The account's count this address is judged by: the pair's from a known address, else the account's.
CREATE OR REPLACE FUNCTION gridctl_sign_in_account_key(p_username text, p_address text, p_known boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_known THEN 'p:' || lower(p_username) || '@' || p_address ELSE 'u:' || lower(p_username) END
$$;

-- What a sign-in needs before it hashes: the salt and cost, whether the address signed in to the
-- account during the last 30 days, and the seconds the address and the account must still wait (the
-- server refuses with 429 before hashing, and remembers the address's wait: auth/SignInThrottle).
-- Unknown or disabled users get a made-up salt derived from auth_secret, the same one every time, so
-- a sign-in cannot tell unknown names from known ones.
CREATE OR REPLACE FUNCTION gridctl_sign_in_start(p_username text, p_address text)
RETURNS TABLE (iterations integer, salt text, known_address boolean, address_wait integer, account_wait integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_known boolean := gridctl_sign_in_known(p_username, p_address);
BEGIN
    RETURN QUERY
    SELECT coalesce(split_part(u.password_hash, '$', 2)::integer, 600000),
           coalesce(split_part(u.password_hash, '$', 3),
                    rtrim(encode(substr(sha256(convert_to(p_username || (SELECT a.salt_key FROM auth_secret a), 'UTF8')), 1, 16), 'base64'), '=')),
           v_known, gridctl_sign_in_wait('a:' || p_address),
           gridctl_sign_in_wait(gridctl_sign_in_account_key(p_username, p_address, v_known))
    FROM (SELECT 1) one
    LEFT JOIN app_user u ON u.username = p_username AND NOT u.disabled;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_sign_in_start(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_sign_in_start(text, text) TO gridctl_app;

-- The salt and cost to hash a candidate password with, and whether this address signed in to this
-- account during the last 30 days: what gridctl_sign_in_start answers, without the waits. Kept for
-- the servers of the previous release while they run beside this one (expand/contract,
-- docs/MIGRATIONS.md).
CREATE OR REPLACE FUNCTION gridctl_password_salt(p_username text, p_address text)
RETURNS TABLE (iterations integer, salt text, known_address boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT s.iterations, s.salt, s.known_address FROM gridctl_sign_in_start(p_username, p_address) s
$$;
REVOKE EXECUTE ON FUNCTION gridctl_password_salt(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_password_salt(text, text) TO gridctl_app;

-- A sign-in: checks the throttle again (one attempt at a time per address and per account, so the
-- counts are exact however many instances ask), compares the candidate's hash with the stored one
-- and, when they match, clears the account's counts and stores the new token's hash. Answers the
-- user's id, or NULL for a wrong password, an unknown or a disabled user (counted), or NULL and the
-- seconds to wait when the throttle refuses (not compared, not counted: the guess tells nothing).
CREATE OR REPLACE FUNCTION gridctl_sign_in_attempt(p_username text, p_candidate text, p_token_hash bytea, p_kind text,
                                p_expires_at timestamptz, p_address text)
RETURNS TABLE (signed_in_user bigint, wait_seconds integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_address text := 'a:' || p_address;
    v_account text := gridctl_sign_in_account_key(p_username, p_address, gridctl_sign_in_known(p_username, p_address));
    v_wait    integer;
    v_user    bigint;
BEGIN
    -- the address first, then the account, in two key spaces: two attempts never wait on each other in a circle
    PERFORM pg_advisory_xact_lock(1, hashtext(v_address));
    PERFORM pg_advisory_xact_lock(2, hashtext(v_account));
    v_wait := greatest(gridctl_sign_in_wait(v_address), gridctl_sign_in_wait(v_account));
    IF v_wait > 0 THEN
        RETURN QUERY SELECT NULL::bigint, v_wait;
        RETURN;
    END IF;
    SELECT u.id INTO v_user FROM app_user u
     WHERE u.username = p_username AND NOT u.disabled
       AND split_part(u.password_hash, '$', 4) = p_candidate;
    IF v_user IS NULL THEN
        INSERT INTO sign_in_failure AS f (key, failures, last_at) VALUES (v_address, 1, now()), (v_account, 1, now())
        ON CONFLICT (key) DO UPDATE
            SET failures = CASE WHEN f.last_at > now() - interval '30 minutes' THEN f.failures + 1 ELSE 1 END,
                last_at = now();
        IF random() < 0.01 THEN
            DELETE FROM sign_in_failure WHERE last_at < now() - interval '30 minutes';   -- forgotten counts
        END IF;
        RETURN QUERY SELECT NULL::bigint, 0;
        RETURN;
    END IF;
    DELETE FROM sign_in_failure
     WHERE key IN (gridctl_sign_in_account_key(p_username, p_address, true), gridctl_sign_in_account_key(p_username, p_address, false));
    INSERT INTO auth_token (token_hash, user_id, kind, expires_at, client_address)
    VALUES (p_token_hash, v_user, p_kind, p_expires_at, p_address);
    RETURN QUERY SELECT v_user, 0;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_sign_in_attempt(text, text, bytea, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_sign_in_attempt(text, text, bytea, text, timestamptz, text) TO gridctl_app;

-- The previous release's sign-in, kept while its servers run beside this one (expand/contract): it
-- goes through the same throttle, so no server of either release gives an attacker more guesses.
-- Answers the user's id, or NULL (a refusal of the throttle included).
CREATE OR REPLACE FUNCTION gridctl_sign_in(p_username text, p_candidate text, p_token_hash bytea, p_kind text,
                                p_expires_at timestamptz, p_address text)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT signed_in_user FROM gridctl_sign_in_attempt(p_username, p_candidate, p_token_hash, p_kind, p_expires_at, p_address)
$$;
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

-- Tells every server instance which users' cached callers to forget (AuthService): a statement that
-- revokes or removes tokens, changes or removes accounts ('<id>,<id>…'), or changes roles or grid
-- workers ('*': all; also past 200 users) notifies gridctl_auth once (V47 attaches the triggers).
CREATE OR REPLACE FUNCTION gridctl_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_users text;
    v_count bigint;
BEGIN
    IF TG_TABLE_NAME = 'auth_token' THEN
        SELECT string_agg(DISTINCT o.user_id::text, ','), count(DISTINCT o.user_id) INTO v_users, v_count FROM old_rows o;
    ELSIF TG_TABLE_NAME = 'app_user' THEN
        SELECT string_agg(DISTINCT o.id::text, ','), count(*) INTO v_users, v_count FROM old_rows o;
    ELSE
        v_users := '*';   -- a role's permissions or the grid workers: rare, and they touch many callers
        v_count := 1;
    END IF;
    IF v_count > 200 THEN
        v_users := '*';
    END IF;
    IF v_users IS NOT NULL THEN
        PERFORM pg_notify('gridctl_auth', v_users);
    END IF;
    RETURN NULL;
END $$;
