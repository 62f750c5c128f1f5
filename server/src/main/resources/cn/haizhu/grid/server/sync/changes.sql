-- Up to $7 record changes after the cursor ($1 txid, $2 id, $3 seq) and below the fence ($4), in
-- commit-safe order (txid, id, seq), without those applied from the caller ($5: never sent back):
--  * of the base records, within the caller's scope ($6, a street or a district code): changes in a
--    street of the scope (or the district's outline) and exits from one. Entries written without a
--    street (before V29, or by a bulk first load) are kept here and decided on their record;
--  * of work orders between levels (docs/SYNC.md): the cases the caller is party to (it sent them here,
--    or this node sent them to it) and their history rows it did not make.
SELECT c.txid::text AS txid, c.id, g.n AS seq, c.table_name, g.gid, c.op, c.version, c.origin, c.base_version,
       c.base_origin, c.street_code, c.left_street, c.changed_at
FROM change_log c
CROSS JOIN LATERAL unnest(coalesce(c.record_gids, ARRAY[c.record_gid])) WITH ORDINALITY AS g (gid, n)
WHERE (c.txid, c.id) >= ($1::text::xid8, $2)
  AND (c.txid, c.id, g.n) > ($1::text::xid8, $2, $3)
  AND c.txid < $4::text::xid8
  AND c.from_peer IS DISTINCT FROM $5
  AND ((c.table_name IN ('admin_area', 'grid', 'house', 'person', 'enterprise')
        AND (c.street_code IS NULL OR starts_with(c.street_code, $6) OR starts_with($6, c.street_code)
             OR starts_with(c.left_street, $6)))
       OR (c.table_name = 'civic_case'
           AND EXISTS (SELECT 1 FROM civic_case k WHERE k.gid = g.gid AND $5 IN (k.origin_node, k.handling_node)))
       OR (c.table_name = 'case_event' AND c.origin IS DISTINCT FROM $5
           AND EXISTS (SELECT 1 FROM case_event e JOIN civic_case k ON k.gid = e.case_gid
                       WHERE e.gid = g.gid AND $5 IN (k.origin_node, k.handling_node))))
ORDER BY c.txid, c.id, g.n
LIMIT $7
