-- Whether && is LEAKPROOF (V5__tiles.sql asks a superuser to mark it so), without which row-level
-- security keeps tile queries off the GiST indexes.
SELECT coalesce(bool_and(proleakproof), false) FROM pg_proc
WHERE proname = 'geometry_overlaps' AND pronargs = 2
