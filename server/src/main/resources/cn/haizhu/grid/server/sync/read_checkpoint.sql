-- Where the pull of peer ? stands (no row: from the start).
SELECT cursor FROM sync_checkpoint WHERE peer_code = ?
