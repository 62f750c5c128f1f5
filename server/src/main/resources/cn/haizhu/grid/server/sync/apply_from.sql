-- This transaction applies changes pulled from peer ?: the change log records it (change_log.from_peer)
-- and the feed never sends them back to it. An empty value: this node's own writes.
SELECT set_config('gridctl.sync_peer', ?, true)
