-- The lock every import of persons holds for its whole transaction (Importer: 'gridctl.import.' || dataset):
-- taking it waits for a running import to finish, and keeps the next one from starting until commit.
SELECT pg_advisory_xact_lock(hashtext('gridctl.import.persons'))
