-- The database server's clock: the times a restore to a point in time compares commits with.
SELECT clock_timestamp()
