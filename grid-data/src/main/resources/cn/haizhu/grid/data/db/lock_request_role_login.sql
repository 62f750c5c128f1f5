-- Instances of one node start together (cluster up, rolling upgrades); each sets the request role's
-- login at start, and two concurrent ALTER ROLEs of one role fail with "tuple concurrently updated".
-- Held to the end of the transaction that alters the role.
SELECT pg_advisory_xact_lock(hashtext('gridctl.request_role.login'))
