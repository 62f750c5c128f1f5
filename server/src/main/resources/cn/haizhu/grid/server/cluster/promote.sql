-- Ends recovery on a standby and waits (up to 60 s) until it accepts writes.
SELECT pg_promote(true, 60)
