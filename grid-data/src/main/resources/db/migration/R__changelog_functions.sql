-- Change log and record versions: the current body of each of their functions. History stays in the
-- versioned migrations (V1, V7); this file is where the functions are read and changed
-- (docs/MIGRATIONS.md).
--
-- Every synced record carries gid (global id), version (counter) and origin (admin code of the node
-- that made the change). Statement-level triggers write the change log (outbox) in the same
-- transaction as the data; readers order by (txid, id) and read only below the snapshot's xmin
-- fence, as an id-only cursor would skip a change whose transaction committed after a later id
-- (ChangeLogReader).

-- Origin of a change: the session may name it (a sync apply names the peer), otherwise this node.
CREATE OR REPLACE FUNCTION gridctl_origin() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('gridctl.origin', true), ''),
                    (SELECT code FROM platform_node), 'unknown')
$$;

-- The change capture, one trigger function for every synced table. A statement that writes many
-- records (an import, a grid reshape, a sync apply) logs them in entries of up to 1,000 records
-- (record_gids) instead of one row each: at 1.58 M persons, a row per record cost 5-7 s of the
-- import (the heap and (txid, id) key insert of every row), the batched entries cost under a second.
-- A statement that writes one record logs it in record_gid. ChangeLogReader hands out one change per
-- record either way.
--
-- For the exchange (docs/SYNC.md, V29) an entry also says the version its records were made from
-- (base), the peer a sync apply took them from (gridctl.sync_peer: the feed never sends a change back
-- to it) and, for base records (whose triggers pass 'street_code'), the street they are in and the
-- street an update moved them out of: a street's feed finds its changes and its scope exits in the
-- log itself, without reading a record. The records of an entry share all of these, so a bulk
-- statement still writes about one entry per 1,000 records (a few more where they differ).
-- One NOTIFY per statement wakes the feed's long-polls (NOTIFY folds repeats within a transaction).
CREATE OR REPLACE FUNCTION change_log_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    peer text := nullif(current_setting('gridctl.sync_peer', true), '');
BEGIN
    IF TG_NARGS = 0 THEN
        -- a table without a street argument (cases and their history)
        IF TG_OP = 'DELETE' THEN
            -- A tombstone: the record is gone, its next version says so.
            INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin, from_peer)
            SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
                   CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, 'D', version, origin, peer
            FROM (SELECT o.gid, o.version + 1 AS version, me.origin, row_number() OVER () AS n
                  FROM old_rows o, (SELECT gridctl_origin() AS origin) me) d
            GROUP BY (n - 1) / 1000, version, origin;
        ELSE
            INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin, from_peer)
            SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
                   CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, left(TG_OP, 1), version, origin, peer
            FROM (SELECT r.gid, r.version, r.origin, row_number() OVER () AS n FROM new_rows r) d
            GROUP BY (n - 1) / 1000, version, origin;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        -- A tombstone: the record is gone, its next version says so.
        INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin, base_version, base_origin,
                                street_code, from_peer)
        SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
               CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, 'D', version, origin, base_version,
               base_origin, street_code, peer
        FROM (SELECT o.gid, o.version + 1 AS version, me.origin, o.version AS base_version, o.origin AS base_origin,
                     o.street_code, row_number() OVER () AS n
              FROM old_rows o, (SELECT gridctl_origin() AS origin) me) d
        GROUP BY (n - 1) / 1000, version, origin, base_version, base_origin, street_code;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin, base_version, base_origin,
                                street_code, left_street, from_peer)
        SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
               CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, 'U', version, origin, base_version,
               base_origin, street_code, left_street, peer
        FROM (SELECT r.gid, r.version, r.origin, o.version AS base_version, o.origin AS base_origin, r.street_code,
                     CASE WHEN o.street_code IS DISTINCT FROM r.street_code THEN o.street_code END AS left_street,
                     row_number() OVER () AS n
              FROM new_rows r JOIN old_rows o USING (gid)) d
        GROUP BY (n - 1) / 1000, version, origin, base_version, base_origin, street_code, left_street;
    ELSE
        INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin, street_code, from_peer)
        SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
               CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, 'I', version, origin, street_code, peer
        FROM (SELECT r.gid, r.version, r.origin, r.street_code, row_number() OVER () AS n FROM new_rows r) d
        GROUP BY (n - 1) / 1000, version, origin, street_code;
    END IF;
    PERFORM pg_notify('gridctl_sync', '');
    RETURN NULL;
END $$;

-- Attaches versioning and change capture to a synced table; the versioned migration that creates
-- the table calls it. It makes the table's <table>_version_bump() (below) and its version_bump and
-- change_log_* triggers.
-- An update that changes nothing is dropped (no new version, no change-log row); one that changes
-- something gets the next version and this node as origin, unless the writer set the version or the
-- origin itself: a sync apply writes the peer's version and origin, which are kept as they are (even
-- the same version from another origin: the owner's copy replacing a non-owner's, docs/SYNC.md). The comparison lists the table's own columns: generated
-- columns are still NULL in a BEFORE trigger, so a whole-row comparison would see a change every time.
CREATE OR REPLACE FUNCTION gridctl_track_changes(tbl regclass) RETURNS void LANGUAGE plpgsql AS $track$
DECLARE
    fn     text := quote_ident(tbl::text || '_version_bump');
    cols   text;
    street text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
    FROM pg_attribute
    WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      AND attname NOT IN ('version', 'origin', 'updated_at');
    EXECUTE format($f$
        CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (%s) IS NOT DISTINCT FROM (%s) THEN
                    RETURN NULL;
                END IF;
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
    -- a table with a street passes it to the capture, which then logs the street and the base (V29)
    street := CASE WHEN EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = 'street_code' AND NOT attisdropped)
                   THEN quote_literal('street_code') ELSE '' END;
    EXECUTE format('CREATE TRIGGER change_log_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture(%s)', tbl, street);
    EXECUTE format('CREATE TRIGGER change_log_upd AFTER UPDATE ON %s REFERENCING %s NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture(%s)',
                   tbl, CASE WHEN street <> '' THEN 'OLD TABLE AS old_rows' ELSE '' END, street);
    EXECUTE format('CREATE TRIGGER change_log_del AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_capture(%s)', tbl, street);
END $track$;

------------------------------------------------------------------------------------------------
-- The version bumps gridctl_track_changes made, one per synced table, written as it wrote them
-- (its indentation included). Each compares the columns its table had when the bump was made: a
-- column added to the table later is not compared until it is listed here. civic_case's
-- escalation_level (V9) is not: an escalation changes event_count as well, which is.
------------------------------------------------------------------------------------------------

-- Admin areas (V1).
CREATE OR REPLACE FUNCTION admin_area_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.code, NEW.level, NEW.name, NEW.parent_code, NEW.street_code, NEW.geom, NEW.gid) IS NOT DISTINCT FROM (OLD.code, OLD.level, OLD.name, OLD.parent_code, OLD.street_code, OLD.geom, OLD.gid) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;

-- Unit grids (V1).
CREATE OR REPLACE FUNCTION grid_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.code, NEW.name, NEW.community_code, NEW.street_code, NEW.geom, NEW.gid) IS NOT DISTINCT FROM (OLD.code, OLD.name, OLD.community_code, OLD.street_code, OLD.geom, OLD.gid) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;

-- Houses (V1).
CREATE OR REPLACE FUNCTION house_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.code, NEW.address, NEW.building, NEW.unit, NEW.floor, NEW.room, NEW.use, NEW.geom, NEW.grid_code, NEW.community_code, NEW.street_code, NEW.gid) IS NOT DISTINCT FROM (OLD.code, OLD.address, OLD.building, OLD.unit, OLD.floor, OLD.room, OLD.use, OLD.geom, OLD.grid_code, OLD.community_code, OLD.street_code, OLD.gid) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;

-- Persons (V1). Its trigger skips it while a key rotation re-encrypts (gridctl.rekey, V28).
CREATE OR REPLACE FUNCTION person_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.id, NEW.id_number_enc, NEW.id_number_hash, NEW.id_number_masked, NEW.name, NEW.gender, NEW.birth_date, NEW.household_type, NEW.phone_enc, NEW.phone_hash, NEW.phone_masked, NEW.tags, NEW.house_code, NEW.grid_code, NEW.community_code, NEW.street_code, NEW.gid, NEW.id_type) IS NOT DISTINCT FROM (OLD.id, OLD.id_number_enc, OLD.id_number_hash, OLD.id_number_masked, OLD.name, OLD.gender, OLD.birth_date, OLD.household_type, OLD.phone_enc, OLD.phone_hash, OLD.phone_masked, OLD.tags, OLD.house_code, OLD.grid_code, OLD.community_code, OLD.street_code, OLD.gid, OLD.id_type) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;

-- Enterprises (V1).
CREATE OR REPLACE FUNCTION enterprise_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.credit_code, NEW.name, NEW.industry, NEW.legal_person, NEW.address, NEW.geom, NEW.grid_code, NEW.community_code, NEW.street_code, NEW.gid) IS NOT DISTINCT FROM (OLD.credit_code, OLD.name, OLD.industry, OLD.legal_person, OLD.address, OLD.geom, OLD.grid_code, OLD.community_code, OLD.street_code, OLD.gid) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;

-- Cases (V4), with the origin of a work order from a level above (V32), which the origin may change, and
-- at the origin the level below that handles it (V37).
CREATE OR REPLACE FUNCTION civic_case_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.gid, NEW.case_number, NEW.source, NEW.category_code, NEW.urgency, NEW.title, NEW.description, NEW.address, NEW.geom, NEW.grid_code, NEW.community_code, NEW.street_code, NEW.state, NEW.assignee_id, NEW.department_code, NEW.reporter_user_id, NEW.reporter_name, NEW.clock_started_at, NEW.clock_limit_s, NEW.clock_extended_s, NEW.clock_pauses, NEW.clock_paused_since, NEW.clock_stopped_at, NEW.deadline, NEW.extension_pending, NEW.extension_requested_s, NEW.near_boundary, NEW.boundary_distance_m, NEW.outside_district, NEW.far_completion, NEW.filed_at, NEW.first_dispatched_at, NEW.first_signed_at, NEW.time_to_sign_s, NEW.closed_at, NEW.closed_on_time, NEW.check_count, NEW.rework_count, NEW.extension_count, NEW.event_count, NEW.intake_hash, NEW.created_at, NEW.origin_node, NEW.origin_order_number, NEW.origin_deadline, NEW.origin_time_limit, NEW.handling_node, NEW.handling_case_number, NEW.handling_version) IS NOT DISTINCT FROM (OLD.gid, OLD.case_number, OLD.source, OLD.category_code, OLD.urgency, OLD.title, OLD.description, OLD.address, OLD.geom, OLD.grid_code, OLD.community_code, OLD.street_code, OLD.state, OLD.assignee_id, OLD.department_code, OLD.reporter_user_id, OLD.reporter_name, OLD.clock_started_at, OLD.clock_limit_s, OLD.clock_extended_s, OLD.clock_pauses, OLD.clock_paused_since, OLD.clock_stopped_at, OLD.deadline, OLD.extension_pending, OLD.extension_requested_s, OLD.near_boundary, OLD.boundary_distance_m, OLD.outside_district, OLD.far_completion, OLD.filed_at, OLD.first_dispatched_at, OLD.first_signed_at, OLD.time_to_sign_s, OLD.closed_at, OLD.closed_on_time, OLD.check_count, OLD.rework_count, OLD.extension_count, OLD.event_count, OLD.intake_hash, OLD.created_at, OLD.origin_node, OLD.origin_order_number, OLD.origin_deadline, OLD.origin_time_limit, OLD.handling_node, OLD.handling_case_number, OLD.handling_version) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;

-- Case history (V4): case_event_immutable, a trigger that fires first, refuses every update, so this never
-- changes a row.
CREATE OR REPLACE FUNCTION case_event_version_bump() RETURNS trigger LANGUAGE plpgsql AS $b$
        BEGIN
            IF NEW.version = OLD.version AND NEW.origin = OLD.origin THEN
                IF (NEW.id, NEW.case_gid, NEW.seq, NEW.action, NEW.from_state, NEW.to_state, NEW.actor_user_id, NEW.actor_username, NEW.actor_role, NEW.at, NEW.geom, NEW.comment, NEW.reason_code, NEW.attachment_ids, NEW.client_action_id, NEW.details, NEW.gid) IS NOT DISTINCT FROM (OLD.id, OLD.case_gid, OLD.seq, OLD.action, OLD.from_state, OLD.to_state, OLD.actor_user_id, OLD.actor_username, OLD.actor_role, OLD.at, OLD.geom, OLD.comment, OLD.reason_code, OLD.attachment_ids, OLD.client_action_id, OLD.details, OLD.gid) THEN
                    RETURN NULL;
                END IF;
                NEW.version := OLD.version + 1;
                NEW.origin := gridctl_origin();
            END IF;
            NEW.updated_at := now();
            RETURN NEW;
        END $b$;
