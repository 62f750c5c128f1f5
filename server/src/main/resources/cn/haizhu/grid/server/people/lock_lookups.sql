-- One exact lookup at a time per user, until the transaction ends.
SELECT pg_advisory_xact_lock(hashtextextended('gridctl person lookup', $1))
