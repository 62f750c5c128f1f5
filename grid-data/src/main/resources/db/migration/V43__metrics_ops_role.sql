-- Whoever runs the command center (issue 16, README "Operations"): the role ops (运维) reads the
-- server's metrics (GET /metrics: request rates and latency, the tile cache, the database pool, imports,
-- case intake, overdue cases per street, event streams, the JVM) and nothing else: an ops account sees
-- no record, no case and no personal data. Administrators may read the metrics too. A scraper on the
-- server's own machine needs no account at all (metrics.loopback).
INSERT INTO app_role (code, name_zh, name_en, permissions)
VALUES ('ops', '运维', 'Operations', ARRAY['metrics.read'])
ON CONFLICT (code) DO NOTHING;
UPDATE app_role SET permissions = permissions || ARRAY['metrics.read']
WHERE code = 'admin' AND NOT 'metrics.read' = ANY (permissions);
