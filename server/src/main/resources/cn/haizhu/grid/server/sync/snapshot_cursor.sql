-- Where the feed continues after this snapshot: the oldest transaction still running when its picture
-- was taken. Everything older is in the picture; what it or a later one wrote may be too, and is
-- pulled again from the feed and applied idempotently (same version and origin: nothing to do).
SELECT pg_snapshot_xmin(pg_current_snapshot())::text
