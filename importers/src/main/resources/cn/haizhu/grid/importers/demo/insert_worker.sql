INSERT INTO grid_worker (name, phone_enc, phone_hash, phone_masked, street_code)
VALUES (?, ?, ?, ?, ?) RETURNING id
