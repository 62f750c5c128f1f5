-- How many log entries of the caller's scope (changes.sql's rule) wait after the cursor ($1 txid, $2 id)
-- below the fence ($3), counted up to $6 (the lag a puller reports; a count of millions would cost more
-- than it tells).
SELECT count(*) AS pending FROM (
    SELECT 1 FROM change_log c
    WHERE (c.txid, c.id) > ($1::text::xid8, $2) AND c.txid < $3::text::xid8
      AND c.from_peer IS DISTINCT FROM $4
      AND ((c.table_name IN ('admin_area', 'grid', 'house', 'person', 'enterprise')
            AND (c.street_code IS NULL OR starts_with(c.street_code, $5) OR starts_with($5, c.street_code)
                 OR starts_with(c.left_street, $5)))
           -- work orders as changes.sql has them, an entry by its first record
           OR (c.table_name = 'civic_case'
               AND EXISTS (SELECT 1 FROM civic_case k WHERE k.gid = coalesce(c.record_gid, c.record_gids[1])
                                                       AND $4 IN (k.origin_node, k.handling_node)))
           OR (c.table_name = 'case_event' AND c.origin IS DISTINCT FROM $4
               AND EXISTS (SELECT 1 FROM case_event e JOIN civic_case k ON k.gid = e.case_gid
                           WHERE e.gid = coalesce(c.record_gid, c.record_gids[1]) AND $4 IN (k.origin_node, k.handling_node))))
    LIMIT $6) p
