-- The last change this node logged of record ? of table ? (either form of entry): whether it deleted the
-- record itself (op D, not from a peer), with the version and origin of that tombstone. Only asked for
-- an edit made elsewhere of a record this node does not hold (at a copy: the owner's edit), which did
-- not arrive with a move (ApplyRule.asksForOwnTombstone): rare, an insert has no base.
SELECT c.op, c.version, c.origin, c.from_peer
FROM change_log c
WHERE c.table_name = ? AND (c.record_gid = ? OR c.record_gids @> ARRAY[?::uuid])
ORDER BY c.txid DESC, c.id DESC
LIMIT 1
