-- What peer ? sent about its work orders that WorkOrders has not taken yet, in the order it arrived
-- (an order before the steps on it), a hundred at a time.
SELECT id, kind, order_number, body::text AS body FROM sync_order_inbox
WHERE peer_code = ? AND done_at IS NULL
ORDER BY id
LIMIT 100
