-- The "1+18" network on the wall (issue 15, docs/SYNC.md "Operations"): who may see the state of
-- this node's links (up or down, lag, last error, alarms) through GET /api/v1/sync/links. The staff
-- who watch the wall and answer for the exchange: administrators, the command center, dispatchers
-- and the data officers (who decide the exchange's conflicts). Not grid workers (their tablets show
-- no wall) and not peer platforms (a link's errors name the other peers' addresses).
UPDATE app_role SET permissions = permissions || ARRAY['sync.status']
WHERE code IN ('admin', 'command', 'dispatcher', 'officer') AND NOT 'sync.status' = ANY (permissions);
