-- One import per dataset at a time (the lock's name: gridctl.import.<dataset>), held to the end of the
-- transaction: two merges of the same table would only wait on each other's rows.
SELECT pg_advisory_xact_lock(hashtext(?))
