UPDATE pii_key_state SET reencrypting = false, changed_at = now() WHERE current_key_id = ?
