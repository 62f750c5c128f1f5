-- The lease of this node's sync pullers (docs/CLUSTER.md, "The sync pullers"): a session-level advisory
-- lock, held by one server instance of the node's database at a time for as long as its connection lives;
-- true when this session has it now.
SELECT pg_try_advisory_lock(hashtextextended('gridctl sync pullers', 0))
