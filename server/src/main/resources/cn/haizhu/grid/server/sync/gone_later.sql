-- Whether the change log holds, after the entry ($1 txid, $2 id), the change that took record $3 out
-- of the scope $4, one that the feed sends to the caller $5 (not one applied from it): its delete, or
-- its move out of a street of the scope. A read that finds a record gone (or moved out) since an entry
-- of it was written asks this before it sends the entries up to that one only, so the record's entries
-- travel together once that change is below the fence (ChangeFeed). A change the caller made itself
-- never comes back to it: waiting for it would stop the feed for good.
SELECT EXISTS (
    SELECT 1
    FROM change_log c
    WHERE (c.txid, c.id) > ($1::text::xid8, $2)
      AND (c.record_gid = $3::uuid OR $3::uuid = ANY (c.record_gids))
      AND c.from_peer IS DISTINCT FROM $5
      AND (c.op = 'D' OR starts_with(c.left_street, $4))
) AS found
