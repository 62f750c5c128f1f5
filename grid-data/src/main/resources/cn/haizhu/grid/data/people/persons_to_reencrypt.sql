-- The next persons after an id whose ID number or phone is not sealed under the current key ($2 = its
-- header, 0x02 | key id), in id order: a pass walks the primary key once.
SELECT id, id_number_enc, phone_enc
FROM person
WHERE id > ? AND (substring(id_number_enc FROM 1 FOR 5) <> ? OR substring(phone_enc FROM 1 FOR 5) <> ?)
ORDER BY id
LIMIT ?
