-- A waiting change of record ? from peer ? applied, found to be older news, or replaced by a later change.
DELETE FROM sync_deferred WHERE record_gid = ?::uuid AND peer_code = ?
