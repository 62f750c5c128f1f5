-- How many log entries of the caller's scope wait after the cursor ($1 txid, $2 id) below the fence
-- ($3), counted up to $6 (the lag a puller reports; a count of millions would cost more than it tells).
SELECT count(*) AS pending FROM (
    SELECT 1 FROM change_log c
    WHERE (c.txid, c.id) > ($1::text::xid8, $2) AND c.txid < $3::text::xid8
      AND c.table_name IN ('admin_area', 'grid', 'house', 'person', 'enterprise')
      AND c.from_peer IS DISTINCT FROM $4
      AND (c.street_code IS NULL OR starts_with(c.street_code, $5) OR starts_with($5, c.street_code)
           OR starts_with(c.left_street, $5))
    LIMIT $6) p
