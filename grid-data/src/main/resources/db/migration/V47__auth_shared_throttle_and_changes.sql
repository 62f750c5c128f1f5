-- Sign-in across server instances (docs/CLUSTER.md "Stateless instances", docs/SECURITY.md "Sign-in").
--
-- 1. The throttle's counts live in the database, so that an attacker gains nothing by spreading guesses
--    over the instances behind the proxy: wrong passwords per client address ('a:<address>'), per
--    account from addresses new to it ('u:<account>') and per account and known address
--    ('p:<account>@<address>'), each with the time of its last failure. Owner-only: the request role
--    reaches them through the sign-in functions (R__auth_functions.sql) alone.
CREATE TABLE sign_in_failure (
    key      text PRIMARY KEY,
    failures integer NOT NULL CHECK (failures > 0),
    last_at  timestamptz NOT NULL
);
COMMENT ON TABLE sign_in_failure IS 'Wrong passwords per address, account and account@address (SignInThrottle); forgotten 30 min after the last';

-- 2. Each instance keeps the callers of tokens it checked for a few seconds (AuthService). A statement
--    that revokes or removes tokens, or changes or removes accounts, roles or grid workers, notifies
--    gridctl_auth with the users concerned ('*': all), and every instance forgets their callers at once.
-- The same body as in R__auth_functions.sql (a versioned migration may create, never redefine).
CREATE FUNCTION gridctl_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER auth_token_changed_upd AFTER UPDATE ON auth_token
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_auth_changed();
CREATE TRIGGER auth_token_changed_del AFTER DELETE ON auth_token
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_auth_changed();
CREATE TRIGGER app_user_changed_upd AFTER UPDATE ON app_user
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_auth_changed();
CREATE TRIGGER app_user_changed_del AFTER DELETE ON app_user
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION gridctl_auth_changed();
CREATE TRIGGER app_role_changed AFTER UPDATE OR DELETE ON app_role
    FOR EACH STATEMENT EXECUTE FUNCTION gridctl_auth_changed();
CREATE TRIGGER grid_worker_changed AFTER INSERT OR UPDATE OR DELETE ON grid_worker
    FOR EACH STATEMENT EXECUTE FUNCTION gridctl_auth_changed();
