-- Foundation schema of the Haizhu grid command center.
-- Geometry is EPSG:4326 (CGCS2000 is within centimetres of it) with a generated EPSG:3857 copy for tiles.
-- Every synced record carries gid (global id), version (counter) and origin (admin code of the node that made the change).

CREATE EXTENSION IF NOT EXISTS postgis;

-- The platform this database belongs to (district 440105, a street 440105001, …): the origin of local changes.
CREATE TABLE platform_node (
    code      text PRIMARY KEY CHECK (code ~ '^\d{6}(\d{3})?$'),
    singleton boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);

-- Origin of a change: the session may name it (a sync apply names the peer), otherwise this node.
CREATE FUNCTION gridctl_origin() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('gridctl.origin', true), ''),
                    (SELECT code FROM platform_node), 'unknown')
$$;

------------------------------------------------------------------------------------------------
-- Data scope (数据权限): a request runs with gridctl.scope_kind = district | street | grids and
-- gridctl.scope_code = the street code or a comma-separated list of grid codes. Row-level security
-- on every scoped table calls this one function; a session that set nothing sees nothing.
------------------------------------------------------------------------------------------------
CREATE FUNCTION gridctl_scope_allows(row_street text, row_grid text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE current_setting('gridctl.scope_kind', true)
        WHEN 'district' THEN true
        WHEN 'street'   THEN row_street = current_setting('gridctl.scope_code', true)
        WHEN 'grids'    THEN row_grid = ANY (string_to_array(current_setting('gridctl.scope_code', true), ','))
        ELSE false
    END
$$;

-- The role request paths switch to (SET LOCAL ROLE) so that row-level security applies to them.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gridctl_app') THEN
        CREATE ROLE gridctl_app NOLOGIN;
    END IF;
    EXECUTE format('GRANT gridctl_app TO %I', current_user);
END $$;

------------------------------------------------------------------------------------------------
-- Change log (outbox). Written by statement-level triggers in the same transaction as the data.
-- Readers must order by (txid, id) and read only below the snapshot's xmin fence: an id-only
-- cursor would skip a change whose transaction committed after a later id (ChangeLogReader).
------------------------------------------------------------------------------------------------
CREATE TABLE change_log (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    txid        xid8        NOT NULL DEFAULT pg_current_xact_id(),
    table_name  text        NOT NULL,
    record_gid  uuid        NOT NULL,
    op          char(1)     NOT NULL CHECK (op IN ('I', 'U', 'D')),
    version     bigint      NOT NULL,
    origin      text        NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (txid, id)
);

CREATE FUNCTION change_log_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO change_log (table_name, record_gid, op, version, origin)
        SELECT TG_TABLE_NAME, n.gid, 'I', n.version, n.origin FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO change_log (table_name, record_gid, op, version, origin)
        SELECT TG_TABLE_NAME, n.gid, 'U', n.version, n.origin FROM new_rows n;
    ELSE
        -- A tombstone: the record is gone, its next version says so.
        INSERT INTO change_log (table_name, record_gid, op, version, origin)
        SELECT TG_TABLE_NAME, o.gid, 'D', o.version + 1, gridctl_origin() FROM old_rows o;
    END IF;
    RETURN NULL;
END $$;

-- An update that changes nothing is dropped (no new version, no change-log row); one that changes
-- something gets the next version and this node as origin, unless the writer set a version itself
-- (a sync apply carrying the peer's version). The comparison lists the table's own columns: generated
-- columns are still NULL in a BEFORE trigger, so a whole-row comparison would see a change every time.
-- Attaches versioning and change capture to a synced table.
CREATE FUNCTION gridctl_track_changes(tbl regclass) RETURNS void LANGUAGE plpgsql AS $track$
DECLARE
    fn   text := quote_ident(tbl::text || '_version_bump');
    cols text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
    FROM pg_attribute
    WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      AND attname NOT IN ('version', 'origin', 'updated_at');
    EXECUTE format($f$
        CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF (%s) IS NOT DISTINCT FROM (%s) THEN
                RETURN NULL;
            END IF;
            IF NEW.version = OLD.version THEN
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$ $f$,
        fn,
        (SELECT string_agg('NEW.' || c, ', ') FROM unnest(string_to_array(cols, ', ')) c),
        (SELECT string_agg('OLD.' || c, ', ') FROM unnest(string_to_array(cols, ', ')) c));
    EXECUTE format('CREATE TRIGGER version_bump BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s()', tbl, fn);
    EXECUTE format('CREATE TRIGGER change_log_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture()', tbl);
    EXECUTE format('CREATE TRIGGER change_log_upd AFTER UPDATE ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture()', tbl);
    EXECUTE format('CREATE TRIGGER change_log_del AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture()', tbl);
END $track$;

------------------------------------------------------------------------------------------------
-- Admin areas (GB/T 2260 + GB/T 10114): district 6 digits, street 9, community 12.
------------------------------------------------------------------------------------------------
CREATE TABLE admin_area (
    code        text PRIMARY KEY CHECK (code ~ '^\d{6}(\d{3}(\d{3})?)?$'),
    level       text NOT NULL CHECK (level IN ('district', 'street', 'community')),
    name        text NOT NULL CHECK (name <> ''),
    parent_code text REFERENCES admin_area (code),
    street_code text,   -- the street the area belongs to (itself for a street), null for the district
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_m2     double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
    gid         uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    version     bigint NOT NULL DEFAULT 1,
    origin      text NOT NULL DEFAULT gridctl_origin(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((level = 'district') = (length(code) = 6)
       AND (level = 'street') = (length(code) = 9)
       AND (level = 'community') = (length(code) = 12)),
    CHECK (parent_code IS NULL OR starts_with(code, parent_code))
);
CREATE INDEX admin_area_geom ON admin_area USING gist (geom);
CREATE INDEX admin_area_geom_3857 ON admin_area USING gist (geom_3857);
CREATE INDEX admin_area_level ON admin_area (level, parent_code);
SELECT gridctl_track_changes('admin_area');

------------------------------------------------------------------------------------------------
-- Unit grids (单元网格): 14 digits = community code + 2-digit sequence.
------------------------------------------------------------------------------------------------
CREATE TABLE grid (
    code           text PRIMARY KEY CHECK (code ~ '^\d{14}$'),
    name           text NOT NULL,
    community_code text NOT NULL REFERENCES admin_area (code),
    street_code    text NOT NULL REFERENCES admin_area (code),
    geom           geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    geom_3857      geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_m2        double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
    gid            uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    version        bigint NOT NULL DEFAULT 1,
    origin         text NOT NULL DEFAULT gridctl_origin(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_with(code, community_code) AND starts_with(community_code, street_code))
);
CREATE INDEX grid_geom ON grid USING gist (geom);
CREATE INDEX grid_geom_3857 ON grid USING gist (geom_3857);
CREATE INDEX grid_community ON grid (community_code);
CREATE INDEX grid_street ON grid (street_code);
SELECT gridctl_track_changes('grid');

------------------------------------------------------------------------------------------------
-- Houses (房屋): a standard address and a point; the grid is assigned in PostGIS by point-in-polygon.
------------------------------------------------------------------------------------------------
CREATE TABLE house (
    code           text PRIMARY KEY CHECK (code ~ '^\d{14,24}$'),
    address        text NOT NULL CHECK (address <> ''),
    building       text,
    unit           text,
    floor          smallint CHECK (floor BETWEEN -5 AND 200),
    room           text,
    use            text NOT NULL CHECK (use IN ('住宅', '商铺', '办公', '厂房', '其他')),
    geom           geometry(Point, 4326) NOT NULL,
    geom_3857      geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    grid_code      text NOT NULL REFERENCES grid (code),
    community_code text NOT NULL,
    street_code    text NOT NULL,
    gid            uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    version        bigint NOT NULL DEFAULT 1,
    origin         text NOT NULL DEFAULT gridctl_origin(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX house_geom ON house USING gist (geom);
CREATE INDEX house_geom_3857 ON house USING gist (geom_3857);
CREATE INDEX house_grid ON house (grid_code);
SELECT gridctl_track_changes('house');

------------------------------------------------------------------------------------------------
-- Persons (实有人口). ID number and phone are personal data (PIPL art. 28/51): stored encrypted
-- (AES-256-GCM, key from configuration), with a keyed hash (HMAC-SHA256) for exact lookup and the
-- masked form every API answer shows by default. Key-population tags are sensitive too: the API
-- hides them unless the caller's role may read personal data (and that read is audited).
------------------------------------------------------------------------------------------------
CREATE TABLE person (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_number_enc    bytea NOT NULL,
    id_number_hash   bytea NOT NULL UNIQUE,
    id_number_masked text NOT NULL,
    name             text NOT NULL CHECK (name <> ''),
    gender           char(1) NOT NULL CHECK (gender IN ('M', 'F')),
    birth_date       date NOT NULL,
    household_type   text NOT NULL CHECK (household_type IN ('registered', 'floating', 'overseas')),
    phone_enc        bytea,
    phone_hash       bytea,
    phone_masked     text,
    tags             text[] NOT NULL DEFAULT '{}',
    house_code       text NOT NULL REFERENCES house (code),
    grid_code        text NOT NULL,
    community_code   text NOT NULL,
    street_code      text NOT NULL,
    gid              uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    version          bigint NOT NULL DEFAULT 1,
    origin           text NOT NULL DEFAULT gridctl_origin(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_house ON person (house_code);
CREATE INDEX person_grid ON person (grid_code);
CREATE INDEX person_phone_hash ON person (phone_hash) WHERE phone_hash IS NOT NULL;
SELECT gridctl_track_changes('person');

------------------------------------------------------------------------------------------------
-- Enterprises (法人单位), keyed by the unified social credit code (GB 32100).
------------------------------------------------------------------------------------------------
CREATE TABLE enterprise (
    credit_code    text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    name           text NOT NULL CHECK (name <> ''),
    industry       text,
    legal_person   text,
    address        text,
    geom           geometry(Point, 4326) NOT NULL,
    geom_3857      geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    grid_code      text NOT NULL REFERENCES grid (code),
    community_code text NOT NULL,
    street_code    text NOT NULL,
    gid            uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    version        bigint NOT NULL DEFAULT 1,
    origin         text NOT NULL DEFAULT gridctl_origin(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enterprise_geom ON enterprise USING gist (geom);
CREATE INDEX enterprise_geom_3857 ON enterprise USING gist (geom_3857);
CREATE INDEX enterprise_grid ON enterprise (grid_code);
SELECT gridctl_track_changes('enterprise');

-- Counts per grid, refreshed after every load (not change-logged: derived, each node computes its own).
CREATE TABLE grid_stats (
    grid_code        text PRIMARY KEY REFERENCES grid (code) ON DELETE CASCADE,
    street_code      text NOT NULL,
    house_count      integer NOT NULL DEFAULT 0,
    person_count     integer NOT NULL DEFAULT 0,
    enterprise_count integer NOT NULL DEFAULT 0,
    refreshed_at     timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refresh_grid_stats() RETURNS void LANGUAGE sql AS $$
    INSERT INTO grid_stats (grid_code, street_code, house_count, person_count, enterprise_count, refreshed_at)
    SELECT g.code, g.street_code,
           coalesce(h.n, 0), coalesce(p.n, 0), coalesce(e.n, 0), now()
    FROM grid g
    LEFT JOIN (SELECT grid_code, count(*) n FROM house GROUP BY grid_code) h ON h.grid_code = g.code
    LEFT JOIN (SELECT grid_code, count(*) n FROM person GROUP BY grid_code) p ON p.grid_code = g.code
    LEFT JOIN (SELECT grid_code, count(*) n FROM enterprise GROUP BY grid_code) e ON e.grid_code = g.code
    ON CONFLICT (grid_code) DO UPDATE
        SET house_count = EXCLUDED.house_count, person_count = EXCLUDED.person_count,
            enterprise_count = EXCLUDED.enterprise_count, street_code = EXCLUDED.street_code,
            refreshed_at = EXCLUDED.refreshed_at;
    DELETE FROM grid_stats s WHERE NOT EXISTS (SELECT 1 FROM grid g WHERE g.code = s.grid_code);
$$;

------------------------------------------------------------------------------------------------
-- Users, roles, tokens, and the audit of unmasked personal-data reads.
------------------------------------------------------------------------------------------------
CREATE TABLE app_role (
    code        text PRIMARY KEY,
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    permissions text[] NOT NULL
);
INSERT INTO app_role (code, name_zh, name_en, permissions) VALUES
    ('admin',      '系统管理员', 'Administrator',        ARRAY['areas.read', 'records.read', 'pii.read', 'users.manage', 'imports.run']),
    ('command',    '指挥中心',   'Command-center staff', ARRAY['areas.read', 'records.read']),
    ('dispatcher', '调度员',     'Dispatcher',           ARRAY['areas.read', 'records.read']),
    ('worker',     '网格员',     'Grid worker',          ARRAY['areas.read', 'records.read']),
    ('officer',    '数据管理员', 'Data officer',         ARRAY['areas.read', 'records.read', 'pii.read', 'imports.run']),
    ('peer',       '对接平台',   'Peer platform',        ARRAY['areas.read', 'records.read']);

CREATE TABLE app_user (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL REFERENCES app_role (code),
    scope_kind    text NOT NULL CHECK (scope_kind IN ('district', 'street', 'grids')),
    scope_code    text NOT NULL,   -- district or street code, or comma-separated grid codes
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope_kind = 'district' AND scope_code ~ '^\d{6}$')
        OR (scope_kind = 'street' AND scope_code ~ '^\d{9}$')
        OR (scope_kind = 'grids' AND scope_code ~ '^\d{14}(,\d{14})*$'))
);

-- Session cookies and bearer tokens; only a SHA-256 of the token is stored.
CREATE TABLE auth_token (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('session', 'api')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX auth_token_user ON auth_token (user_id);

-- Grid workers (网格员) and the grids they patrol.
CREATE TABLE grid_worker (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint UNIQUE REFERENCES app_user (id) ON DELETE SET NULL,
    name         text NOT NULL,
    phone_enc    bytea,
    phone_hash   bytea,
    phone_masked text,
    street_code  text NOT NULL REFERENCES admin_area (code),
    active       boolean NOT NULL DEFAULT true
);
CREATE TABLE grid_worker_grid (
    worker_id  bigint NOT NULL REFERENCES grid_worker (id) ON DELETE CASCADE,
    grid_code  text NOT NULL REFERENCES grid (code) ON DELETE CASCADE,
    duty       text NOT NULL DEFAULT 'primary' CHECK (duty IN ('primary', 'assist')),
    PRIMARY KEY (worker_id, grid_code)
);
CREATE INDEX grid_worker_grid_grid ON grid_worker_grid (grid_code);

CREATE TABLE pii_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    user_id      bigint REFERENCES app_user (id),
    username     text NOT NULL,
    role         text NOT NULL,
    action       text NOT NULL,
    subject      text NOT NULL,   -- table and key (or query) that was read unmasked
    row_count    integer NOT NULL,
    request_path text,
    client_ip    text
);

------------------------------------------------------------------------------------------------
-- Row-level security for request paths (role gridctl_app). Bulk paths run as the owner and are
-- not subject to it; they are run by data officers through the importer, which checks the role.
------------------------------------------------------------------------------------------------
ALTER TABLE admin_area ENABLE ROW LEVEL SECURITY;
ALTER TABLE grid ENABLE ROW LEVEL SECURITY;
ALTER TABLE house ENABLE ROW LEVEL SECURITY;
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
ALTER TABLE enterprise ENABLE ROW LEVEL SECURITY;
ALTER TABLE grid_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE grid_worker ENABLE ROW LEVEL SECURITY;

-- The district outline is everyone's orientation; streets and communities follow the scope.
CREATE POLICY scope ON admin_area TO gridctl_app
    USING (level = 'district' OR gridctl_scope_allows(street_code, NULL)
           OR (current_setting('gridctl.scope_kind', true) = 'grids'
               AND EXISTS (SELECT 1 FROM grid g WHERE g.code = ANY (string_to_array(current_setting('gridctl.scope_code', true), ','))
                                                  AND (g.street_code = admin_area.code OR g.community_code = admin_area.code))));
CREATE POLICY scope ON grid        TO gridctl_app USING (gridctl_scope_allows(street_code, code));
CREATE POLICY scope ON house       TO gridctl_app USING (gridctl_scope_allows(street_code, grid_code));
CREATE POLICY scope ON person      TO gridctl_app USING (gridctl_scope_allows(street_code, grid_code));
CREATE POLICY scope ON enterprise  TO gridctl_app USING (gridctl_scope_allows(street_code, grid_code));
CREATE POLICY scope ON grid_stats  TO gridctl_app USING (gridctl_scope_allows(street_code, grid_code));
CREATE POLICY scope ON grid_worker TO gridctl_app USING (gridctl_scope_allows(street_code, NULL)
    OR EXISTS (SELECT 1 FROM grid_worker_grid wg WHERE wg.worker_id = grid_worker.id
                                                   AND gridctl_scope_allows(street_code, wg.grid_code)));

GRANT USAGE ON SCHEMA public TO gridctl_app;
GRANT SELECT ON admin_area, grid, house, person, enterprise, grid_stats, grid_worker, grid_worker_grid,
                app_role, platform_node TO gridctl_app;
-- app_user and auth_token are not granted: authentication runs before a request takes its scope.
GRANT INSERT ON pii_audit TO gridctl_app;
GRANT SELECT ON change_log TO gridctl_app;

-- The demo data set this database was loaded with (first start only; a load cut short is resumed).
CREATE TABLE demo_dataset (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    scale        double precision NOT NULL,
    seed         bigint NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
);
