-- WorkOrders took inbox row ?: applied or refused (?), and what it answered (?, JSON).
UPDATE sync_order_inbox SET done_at = now(), outcome = ?, answer = ?::jsonb WHERE id = ? AND done_at IS NULL
