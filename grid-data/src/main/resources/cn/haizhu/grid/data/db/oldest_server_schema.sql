-- The oldest release that may serve this schema, by the newest versioned migration it carries (V48; docs/UPGRADES.md).
SELECT oldest_server_schema FROM schema_window
