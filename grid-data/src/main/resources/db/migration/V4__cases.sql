-- Cases (案件): 12345 hotline work orders, patrol reports, command-center and external reports, in one
-- 数字城管 closed loop (cn.haizhu.grid.data.cases.CaseWorkflow decides every transition; this schema
-- stores the outcome). Both tables are synced records: gid, version, origin, updated_at, and a change-log
-- row written by statement triggers in the same transaction as the write.

-- Human case numbers (案件编号) HZ + Shanghai date + a 5-digit (or longer) serial. One sequence, never
-- reset per day: a per-day counter row would serialise every intake of the day on one row lock.
CREATE SEQUENCE civic_case_number_seq;

CREATE FUNCTION gridctl_case_number() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT 'HZ' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
                || lpad(nextval('civic_case_number_seq')::text, 5, '0')
$$;

------------------------------------------------------------------------------------------------
-- The case. `case` is a reserved word; civic_case reads as what it is.
------------------------------------------------------------------------------------------------
CREATE TABLE civic_case (
    -- The case id. A client may supply it (a tablet generates it offline), so a retried intake finds
    -- the case it already made instead of making a second one.
    gid              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    case_number      text NOT NULL UNIQUE DEFAULT gridctl_case_number(),
    source           text NOT NULL CHECK (source IN ('hotline_12345', 'patrol', 'command', 'external')),
    category_code    text NOT NULL CHECK (category_code ~ '^(BJ|SJ)\d{4}$'),   -- a 小类 of CategoryCatalogue
    urgency          text NOT NULL CHECK (urgency IN ('urgent', 'normal')),
    title            text NOT NULL CHECK (title <> '' AND length(title) <= 200),
    description      text CHECK (length(description) <= 4000),
    address          text CHECK (length(address) <= 400),
    geom             geometry(Point, 4326) NOT NULL,
    geom_3857        geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    -- Routing (分拨): the grid containing the point, its community and street; null outside every grid.
    grid_code        text REFERENCES grid (code),
    community_code   text,
    street_code      text,
    state            text NOT NULL DEFAULT 'reported' CHECK (state IN (
                         'reported', 'verifying', 'filed', 'rejected', 'dispatched', 'returned', 'signed',
                         'in_process', 'suspended', 'done_feedback', 'self_handled', 'checking', 'closed',
                         'evaluated', 'reopened', 'joint_review')),
    assignee_id      bigint REFERENCES grid_worker (id),      -- 处置人/核实人: the grid worker it is assigned to
    department_code  text NOT NULL CHECK (department_code ~ '^[A-Z]{2,6}$'),   -- 责任部门; JD = the street of street_code
    reporter_user_id bigint REFERENCES app_user (id),
    reporter_name    text NOT NULL,                            -- who brought it in (user name, or the peer's name)
    -- The deadline clock (cn.haizhu.grid.data.cases.CaseClock), stored field by field so it can be restored.
    clock_started_at   timestamptz,
    clock_limit_s      bigint NOT NULL DEFAULT 0 CHECK (clock_limit_s >= 0),
    clock_extended_s   bigint NOT NULL DEFAULT 0 CHECK (clock_extended_s >= 0),
    clock_pauses       jsonb NOT NULL DEFAULT '[]',            -- [{"start": iso, "end": iso}, …] closed pauses
    clock_paused_since timestamptz,
    clock_stopped_at   timestamptz,
    -- When the running clock runs out, on the working calendar; null while it stands or is stopped.
    -- Stored (not computed per query) so the queue can sort by it and overdue is an index range.
    deadline         timestamptz,
    extension_pending     boolean NOT NULL DEFAULT false,     -- 延期申请待审批
    extension_requested_s bigint CHECK (extension_requested_s > 0),
    -- Flags for the dispatcher to look at.
    near_boundary       boolean NOT NULL DEFAULT false,       -- within a few metres of a grid boundary: confirm the grid
    boundary_distance_m double precision,
    outside_district    boolean NOT NULL DEFAULT false,       -- outside Haizhu: confirm or hand over
    far_completion      boolean NOT NULL DEFAULT false,       -- 处置反馈 stamped far from the case location
    -- KPI facts (考核), kept as the workflow passes them so KPI queries are plain aggregates.
    filed_at            timestamptz,                          -- 立案 (or a self-handled case sent for 核查)
    first_dispatched_at timestamptz,
    first_signed_at     timestamptz,
    time_to_sign_s      bigint,                               -- working seconds from first 派遣 to first 签收
    closed_at           timestamptz,
    closed_on_time      boolean,                              -- 按期结案: clock finished within the limit
    check_count         integer NOT NULL DEFAULT 0,           -- 核查 decided (passed or failed)
    rework_count        integer NOT NULL DEFAULT 0,           -- 返工
    extension_count     integer NOT NULL DEFAULT 0,           -- 延期 granted
    event_count         integer NOT NULL DEFAULT 0,           -- history rows so far; every action bumps it
    intake_hash         text NOT NULL,                        -- of the intake request, to tell a retry from a clash
    created_at          timestamptz NOT NULL DEFAULT now(),
    version             bigint NOT NULL DEFAULT 1,
    origin              text NOT NULL DEFAULT gridctl_origin(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
-- The dispatcher's queue: open cases by deadline (overdue = a range scan below now()).
CREATE INDEX civic_case_queue ON civic_case (state, deadline);
CREATE INDEX civic_case_open_deadline ON civic_case (deadline)
    WHERE state NOT IN ('closed', 'evaluated', 'rejected');
CREATE INDEX civic_case_grid ON civic_case (grid_code, state);
CREATE INDEX civic_case_street ON civic_case (street_code, state);
-- Load balancing counts a worker's open cases; "my tasks" lists them.
CREATE INDEX civic_case_assignee ON civic_case (assignee_id) WHERE state NOT IN ('closed', 'evaluated', 'rejected');
CREATE INDEX civic_case_created ON civic_case (created_at);
CREATE INDEX civic_case_geom ON civic_case USING gist (geom);
CREATE INDEX civic_case_geom_3857 ON civic_case USING gist (geom_3857);
SELECT gridctl_track_changes('civic_case');

------------------------------------------------------------------------------------------------
-- Case history (案件流转记录): one row per action, never changed or removed afterwards.
------------------------------------------------------------------------------------------------
CREATE TABLE case_event (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_gid         uuid NOT NULL REFERENCES civic_case (gid),
    seq              integer NOT NULL CHECK (seq >= 1),
    action           text NOT NULL,                 -- 'report' (intake) or a CaseAction code
    from_state       text,                          -- null for the intake
    to_state         text NOT NULL,
    actor_user_id    bigint REFERENCES app_user (id),
    actor_username   text NOT NULL,
    actor_role       text NOT NULL,
    at               timestamptz NOT NULL,
    geom             geometry(Point, 4326),         -- the GPS stamp of the actor, where sent
    comment          text CHECK (length(comment) <= 4000),
    reason_code      text,                          -- 退单原因 / 延期原因
    attachment_ids   uuid[] NOT NULL DEFAULT '{}',
    client_action_id uuid UNIQUE,                   -- the tablet's id for the action: a retry finds this row
    details          jsonb NOT NULL DEFAULT '{}',   -- assignee chosen, hours asked or granted, distance …
    gid              uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    version          bigint NOT NULL DEFAULT 1,
    origin           text NOT NULL DEFAULT gridctl_origin(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_gid, seq)
);
CREATE INDEX case_event_action ON case_event (action, at);

-- History is evidence (who did what, when, where): it is appended to, never rewritten, by anyone.
CREATE FUNCTION case_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case history is immutable: % on case_event refused', TG_OP
        USING ERRCODE = 'restrict_violation', HINT = 'record a new action instead';
END $$;
CREATE TRIGGER case_event_immutable BEFORE UPDATE OR DELETE ON case_event
    FOR EACH ROW EXECUTE FUNCTION case_event_immutable();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON case_event
    FOR EACH STATEMENT EXECUTE FUNCTION case_event_immutable();
-- Peers receive the history with the case (insert-only, so only 'I' rows ever appear).
SELECT gridctl_track_changes('case_event');

------------------------------------------------------------------------------------------------
-- Routing (分拨): the grid that contains the point (the smallest code when it lies on a shared edge),
-- its community and street (from the admin areas where no grid covers the point), the distance to the
-- nearest grid boundary (near_boundary within 5 m: the dispatcher confirms), whether the point lies
-- outside the district at all, and the grid's worker with the fewest open cases (load balancing).
-- SECURITY DEFINER: routing must see every grid and every worker's load, whatever the caller's scope;
-- it returns codes only, and the insert that follows is still checked by row-level security.
------------------------------------------------------------------------------------------------
CREATE FUNCTION gridctl_route_case(lon double precision, lat double precision)
RETURNS TABLE (grid_code text, community_code text, street_code text, boundary_distance_m double precision,
               near_boundary boolean, outside_district boolean, worker_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS pt)
    SELECT g.code, coalesce(g.community_code, c.code), coalesce(g.street_code, c.street_code),
           b.dist, coalesce(b.dist < 5, false),
           NOT EXISTS (SELECT 1 FROM admin_area d WHERE d.level = 'district' AND ST_Intersects(d.geom, p.pt)),
           w.worker_id
    FROM p
    LEFT JOIN LATERAL (SELECT code, community_code, street_code FROM grid
                       WHERE ST_Intersects(grid.geom, p.pt) ORDER BY code LIMIT 1) g ON true
    LEFT JOIN LATERAL (SELECT a.code, a.street_code FROM admin_area a
                       WHERE a.level = 'community' AND ST_Intersects(a.geom, p.pt) ORDER BY a.code LIMIT 1) c ON true
    -- 0.0002° ≈ 20 m at Guangzhou's latitude: an index box around the point; the distance itself is geodesic.
    LEFT JOIN LATERAL (SELECT min(ST_Distance(ST_Boundary(grid.geom)::geography, p.pt::geography)) AS dist
                       FROM grid WHERE grid.geom && ST_Expand(p.pt, 0.0002)) b ON true
    LEFT JOIN LATERAL (SELECT wg.worker_id FROM grid_worker_grid wg
                       JOIN grid_worker gw ON gw.id = wg.worker_id AND gw.active
                       WHERE wg.grid_code = g.code
                       ORDER BY (SELECT count(*) FROM civic_case k
                                 WHERE k.assignee_id = wg.worker_id
                                   AND k.state NOT IN ('closed', 'evaluated', 'rejected')),
                                wg.duty = 'primary' DESC, wg.worker_id
                       LIMIT 1) w ON true
$$;

------------------------------------------------------------------------------------------------
-- Permissions: reading cases, bringing one in, acting on one. Which action a role may take is the
-- workflow's business (CaseWorkflow, answering 403 with the reason); these only open the doors.
-- A data officer (officer) takes no part in dispatch.
------------------------------------------------------------------------------------------------
UPDATE app_role SET permissions = permissions || ARRAY['cases.read', 'cases.act']
    WHERE code IN ('admin', 'command', 'dispatcher', 'worker', 'peer');
UPDATE app_role SET permissions = permissions || ARRAY['cases.report']
    WHERE code IN ('command', 'dispatcher', 'worker', 'peer');

------------------------------------------------------------------------------------------------
-- Row-level security: a case is seen (and acted on) within the caller's street or grids; its history
-- follows the case. Cases outside every street are seen at district level only.
------------------------------------------------------------------------------------------------
ALTER TABLE civic_case ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON civic_case TO gridctl_app USING (gridctl_scope_allows(street_code, grid_code));
CREATE POLICY scope ON case_event TO gridctl_app
    USING (EXISTS (SELECT 1 FROM civic_case c WHERE c.gid = case_event.case_gid));

GRANT SELECT, INSERT, UPDATE ON civic_case TO gridctl_app;
GRANT SELECT, INSERT ON case_event TO gridctl_app;
GRANT USAGE ON SEQUENCE civic_case_number_seq TO gridctl_app;
GRANT EXECUTE ON FUNCTION gridctl_route_case(double precision, double precision) TO gridctl_app;
-- The change-log triggers run as the writer: request paths now write synced records.
GRANT INSERT ON change_log TO gridctl_app;
