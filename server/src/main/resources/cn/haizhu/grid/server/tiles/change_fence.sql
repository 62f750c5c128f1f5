-- Where a reader of tile_dirty starts: the oldest transaction that may still commit.
SELECT pg_snapshot_xmin(pg_current_snapshot())::text
