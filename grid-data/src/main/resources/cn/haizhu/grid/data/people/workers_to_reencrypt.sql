SELECT id, phone_enc
FROM grid_worker
WHERE id > ? AND substring(phone_enc FROM 1 FOR 5) <> ?
ORDER BY id
LIMIT ?
