-- The position after the last change below the fence ($1): where a read that found fewer changes than
-- it asked for continues (what it skipped was outside the caller's scope or its own).
SELECT c.txid::text AS txid, c.id, coalesce(cardinality(c.record_gids), 1) AS seq
FROM change_log c
WHERE c.txid < $1::text::xid8
ORDER BY c.txid DESC, c.id DESC
LIMIT 1
