-- Open311 keys under the request role (docs/SECURITY.md, "Database roles" and "Open311 clients"):
-- the current body of the function; history stays in the versioned migration (V27). See
-- docs/MIGRATIONS.md.

-- The request role may not read app_user or the key table: a key is looked up through this
-- function, which runs as the owner and answers only the caller the key acts as, noting its last
-- use. Issuing, listing and revoking keys are an administrator's, run by the server on the owner's
-- pool behind users.manage, so no request path can mint a key.
CREATE OR REPLACE FUNCTION gridctl_open311_caller(p_key_hash bytea)
RETURNS TABLE (client_id bigint, client_name text, user_id bigint, username text, role text, permissions text[],
               scope_kind text, scope_code text, worker_id bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT c.id, c.name, u.id, u.username, u.role, r.permissions, u.scope_kind, u.scope_code,
           (SELECT w.id FROM grid_worker w WHERE w.user_id = u.id AND w.active ORDER BY w.id LIMIT 1)
    FROM open311_client c
    JOIN app_user u ON u.id = c.acts_as_user_id
    JOIN app_role r ON r.code = u.role
    WHERE c.key_hash = p_key_hash AND c.revoked_at IS NULL AND NOT u.disabled;
    UPDATE open311_client SET last_used_at = now() WHERE key_hash = p_key_hash AND revoked_at IS NULL;
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_open311_caller(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_open311_caller(bytea) TO gridctl_app;
