UPDATE grid_worker SET phone_enc = ?, phone_hash = ? WHERE id = ? AND phone_enc = ?
