-- Upgrades without downtime (docs/UPGRADES.md): during a rolling upgrade, servers of the previous
-- release run against the new schema, and one of them may restart there. Such a server must not run
-- its own migrations (its R__ files would put back the previous release's function bodies); it starts
-- without migrating when this schema still serves it: when the newest versioned migration it carries
-- is at least oldest_server_schema, and refuses otherwise. Each release moves it to the previous
-- release's newest migration (the one-release window; ExpandContractTest checks it), so that a
-- contract step may remove what only older releases used. Owner-only: the server reads it as the
-- owner, before it migrates.
CREATE TABLE schema_window (
    singleton            boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    oldest_server_schema integer NOT NULL CHECK (oldest_server_schema > 0)
);
COMMENT ON TABLE schema_window IS 'The oldest release that may serve this schema, by the newest versioned migration it carries (docs/UPGRADES.md)';

-- The previous release (178a29e) carries V1-V44: it keeps serving this schema.
INSERT INTO schema_window (oldest_server_schema) VALUES (44);
