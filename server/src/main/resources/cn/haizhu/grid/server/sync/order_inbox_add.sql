-- What an origin (peer ?) sent about an order of its number ?: the order itself ('order') or one of its
-- steps on it ('step', its id ?), with the body WorkOrders takes (?, JSON), kept for OrderInbox. Once per
-- order number and per step: the same again, from a batch pulled again, writes nothing.
INSERT INTO sync_order_inbox (peer_code, kind, order_number, step_gid, body)
VALUES (?, ?, ?, ?::uuid, ?::jsonb)
ON CONFLICT DO NOTHING
