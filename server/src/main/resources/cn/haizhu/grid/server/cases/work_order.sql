-- The case a work order of an origin ($1 its node code, $2 its order number) made here, with the hash
-- of the order that made it.
SELECT gid, intake_hash FROM civic_case WHERE origin_node = $1 AND origin_order_number = $2
