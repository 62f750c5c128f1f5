-- The physical replication slot the standby streams from (its name bound once), reserving WAL from
-- now on; kept as it is when it exists.
SELECT pg_create_physical_replication_slot(s.name, true)
FROM (SELECT ?::name AS name) s
WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = s.name)
