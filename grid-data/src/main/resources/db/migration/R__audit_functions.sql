-- The personal-data audit and the security alerts (docs/SECURITY.md, "Personal data"): the current
-- body of each function; history stays in the versioned migrations (V21, V22), which also attach the
-- triggers. See docs/MIGRATIONS.md.

-- The audit (pii_audit) and the alerts (security_alert) are append-only for everyone but the owner's
-- maintenance: the request role may only add to them, and triggers call this on UPDATE, DELETE and
-- TRUNCATE from any role, so not even a mistaken grant opens them.
CREATE OR REPLACE FUNCTION gridctl_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the personal-data audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

-- An alert reaches the open pages of those who read the audit (EventStreamResource: security.*),
-- through the event log like every event (R__events_functions.sql). SECURITY DEFINER: it writes
-- the event log, which no request role may. Fired by the trigger only.
CREATE OR REPLACE FUNCTION security_alert_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM gridctl_events_raise(jsonb_build_array(jsonb_build_object('type', 'security.' || NEW.kind,
        'id', NEW.id, 'username', NEW.username, 'at', NEW.at, 'details', NEW.details)));
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION security_alert_notify() FROM PUBLIC;
