-- The three-level exchange (docs/SYNC.md): the current body of each of its functions; the tables are
-- in V29. See docs/MIGRATIONS.md.

-- The peer a key (its SHA-256) belongs to, while the key is live: its code, level and the scope it
-- may read and write here. The request role may not read the key table; it asks this function, which
-- runs as the owner and notes the key's last use (at most once a minute, so a long-polling peer does
-- not write a row version per request).
CREATE OR REPLACE FUNCTION gridctl_sync_peer_caller(p_key_hash bytea)
RETURNS TABLE (peer_code text, level text, scope_kind text, scope_code text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT p.code, p.level, p.scope_kind, p.scope_code
    FROM sync_peer_key k JOIN sync_peer p ON p.code = k.peer_code
    WHERE k.key_hash = p_key_hash AND k.retired_at IS NULL;
    UPDATE sync_peer_key SET last_used_at = now()
    WHERE key_hash = p_key_hash AND retired_at IS NULL
      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
END $$;
REVOKE EXECUTE ON FUNCTION gridctl_sync_peer_caller(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_sync_peer_caller(bytea) TO gridctl_app;
