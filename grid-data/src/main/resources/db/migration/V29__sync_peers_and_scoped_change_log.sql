-- The three-level exchange (docs/SYNC.md): the peers of this node and their keys, where each
-- pull stands, the conflicts kept for the owner's officers, and a change log that says what a feed
-- needs to know without reading the record: the street a change happened in and the street a record
-- left, the version it was made from, and the peer it was applied from (never sent back to it).

------------------------------------------------------------------------------------------------
-- Peers: the node above this one (direction up) and those below it (down), each with the scope
-- it may read and write here (a street its street, a district its district, the upstream this
-- node's whole scope).
------------------------------------------------------------------------------------------------
CREATE TABLE sync_peer (
    code        text PRIMARY KEY CHECK (code ~ '^\d{6}(\d{3})?$'),
    level       text NOT NULL CHECK (level IN ('city', 'district', 'street')),
    direction   text NOT NULL CHECK (direction IN ('up', 'down')),
    url         text CHECK (url ~ '^https?://'),   -- where its feed is served; null until known
    scope_kind  text NOT NULL CHECK (scope_kind IN ('district', 'street')),
    scope_code  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    registered_at timestamptz,                     -- up: when the upstream accepted the key to read this node's feed
    CHECK ((scope_kind = 'district' AND scope_code ~ '^\d{6}$') OR (scope_kind = 'street' AND scope_code ~ '^\d{9}$'))
);

-- The keys peers call this node with: SHA-256 only (a key is 32 random bytes: a slow hash adds
-- nothing). Up to two live keys per peer, so that a key is rotated without downtime; a retired key
-- keeps its row (who could call, until when).
CREATE TABLE sync_peer_key (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peer_code    text NOT NULL REFERENCES sync_peer (code) ON DELETE CASCADE,
    key_hash     bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX sync_peer_key_live ON sync_peer_key (peer_code) WHERE retired_at IS NULL;

-- Where the pull of each peer's feed stands: the cursor after the last batch applied (written in
-- the batch's own transaction), and the link's state for ./gridctl sync status and the wall.
CREATE TABLE sync_checkpoint (
    peer_code       text PRIMARY KEY REFERENCES sync_peer (code) ON DELETE CASCADE,
    cursor          text NOT NULL DEFAULT '0:0:0' CHECK (cursor ~ '^\d+:\d+:\d+$'),
    applied_at      timestamptz,
    changes_applied bigint NOT NULL DEFAULT 0,
    link_up         boolean NOT NULL DEFAULT false,
    last_contact_at timestamptz,
    down_since      timestamptz,
    last_error      text,
    last_error_at   timestamptz,
    lag_changes     bigint,
    lag_seconds     double precision
);

------------------------------------------------------------------------------------------------
-- 冲突待处理: an edit made elsewhere to a record this node owns, which arrived after the owner's
-- version had moved. Kept until an officer of the owning node decides: keep the owner's version or
-- take the request. The request's personal data is kept as this node stores it (encrypted under
-- its key, hashed, masked), never in clear.
------------------------------------------------------------------------------------------------
CREATE TABLE sync_conflict (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name      text NOT NULL CHECK (table_name IN ('admin_area', 'grid', 'house', 'person', 'enterprise')),
    record_gid      uuid NOT NULL,
    street_code     text,                 -- the record's street here: whose officers decide
    owner_version   bigint NOT NULL,      -- the owner's version when the request arrived
    owner_origin    text NOT NULL,
    request_op      text NOT NULL CHECK (request_op IN ('upsert', 'delete')),
    request_version bigint NOT NULL,
    request_origin  text NOT NULL,
    request_base_version bigint,
    request_base_origin  text,
    request_record  jsonb,                -- the record as it would be stored here (null for a delete)
    from_peer       text NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    decided_by      text,
    decision        text CHECK (decision IN ('owner', 'request')),
    CHECK ((decided_at IS NULL) = (decision IS NULL)),
    -- a request re-delivered with its batch is the same conflict
    UNIQUE (record_gid, request_version, request_origin)
);
CREATE INDEX sync_conflict_waiting ON sync_conflict (street_code, received_at) WHERE decided_at IS NULL;
ALTER TABLE sync_conflict ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON sync_conflict TO gridctl_app USING (gridctl_scope_allows(street_code, NULL));
GRANT SELECT ON sync_conflict TO gridctl_app;

-- The data officers of the owning node decide on conflicts.
UPDATE app_role SET permissions = permissions || ARRAY['sync.decide'] WHERE code = 'officer';

------------------------------------------------------------------------------------------------
-- The change log, for the feed. A bulk statement still writes one entry per 1,000 records; the
-- records of an entry share all of these (the capture groups by them).
------------------------------------------------------------------------------------------------
ALTER TABLE change_log
    ADD COLUMN base_version bigint,   -- the version the change was made from (null for an insert)
    ADD COLUMN base_origin  text,
    ADD COLUMN street_code  text,     -- the street the record is in after the change (before, for a delete)
    ADD COLUMN left_street  text,     -- the street an update moved the record out of
    ADD COLUMN from_peer    text;     -- the peer a sync apply took the change from: never sent back to it

-- Base records carry their street to the capture (the trigger's argument names the column); the
-- update capture sees the old rows too, for the base version and the street a record left.
-- (A DO block, not a function: no versioned migration after V28 defines one, docs/MIGRATIONS.md.)
DO $$
DECLARE
    tbl text;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['admin_area', 'grid', 'house', 'person', 'enterprise'] LOOP
        EXECUTE format('DROP TRIGGER change_log_ins ON %I', tbl);
        EXECUTE format('DROP TRIGGER change_log_upd ON %I', tbl);
        EXECUTE format('DROP TRIGGER change_log_del ON %I', tbl);
        EXECUTE format('CREATE TRIGGER change_log_ins AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture(''street_code'')', tbl);
        -- as V28: a re-encryption of persons (gridctl.rekey) writes no change-log entries
        EXECUTE format('CREATE TRIGGER change_log_upd AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                       ' FOR EACH STATEMENT %s EXECUTE FUNCTION change_log_capture(''street_code'')', tbl,
                       CASE WHEN tbl = 'person' THEN 'WHEN (current_setting(''gridctl.rekey'', true) IS DISTINCT FROM ''on'')' ELSE '' END);
        EXECUTE format('CREATE TRIGGER change_log_del AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture(''street_code'')', tbl);
    END LOOP;
END $$;
