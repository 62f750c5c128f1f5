-- Who read whose personal data, when and why (docs/SECURITY.md, "Personal data").
--
-- Every response that carries person records now writes one audit row in the same transaction,
-- masked or not: the purpose the reader stated (查询事由; required for exact lookups and unmasked
-- reads), whether the data left masked, and the persons it carried. Admins read it through
-- GET /api/v1/audit/personal-data and the /audit/ page. It stays append-only (V21).
ALTER TABLE pii_audit ADD COLUMN purpose text,
                      ADD COLUMN masked boolean NOT NULL DEFAULT false,
                      ADD COLUMN person_gids uuid[] NOT NULL DEFAULT '{}';
-- the lookup budget counts a user's recent lookups; the page filters by reader and by person
CREATE INDEX pii_audit_user_action_at ON pii_audit (user_id, action, at);
CREATE INDEX pii_audit_at ON pii_audit (at);
CREATE INDEX pii_audit_person_gids ON pii_audit USING gin (person_gids);
GRANT SELECT ON pii_audit TO gridctl_app;

-- What admins must look at: a run of exact lookups that found nobody (someone confirming guesses of
-- the hidden digits of an ID number), and later other kinds. Append-only like the audit.
CREATE TABLE security_alert (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    user_id   bigint REFERENCES app_user (id),
    username  text NOT NULL,
    details   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX security_alert_at ON security_alert (at);
CREATE TRIGGER security_alert_append_only BEFORE UPDATE OR DELETE ON security_alert
    FOR EACH ROW EXECUTE FUNCTION gridctl_audit_append_only();
CREATE TRIGGER security_alert_no_truncate BEFORE TRUNCATE ON security_alert
    FOR EACH STATEMENT EXECUTE FUNCTION gridctl_audit_append_only();
GRANT SELECT, INSERT ON security_alert TO gridctl_app;

-- An alert reaches the open pages of those who read the audit (EventStreamResource: security.*).
CREATE FUNCTION security_alert_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gridctl_events', json_build_object('type', 'security.' || NEW.kind, 'id', NEW.id,
        'username', NEW.username, 'at', NEW.at, 'details', NEW.details)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER security_alert_notify AFTER INSERT ON security_alert
    FOR EACH ROW EXECUTE FUNCTION security_alert_notify();

UPDATE app_role SET permissions = permissions || ARRAY['audit.read'] WHERE code = 'admin';
