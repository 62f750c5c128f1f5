-- How many stored values each key seals, per column: the key id from a format-2 header, null for a
-- format-1 value (written before keys had ids); with the id of one row of the group, whose value
-- tells a format-1 group's key by trying the ring (sample_values.sql).
SELECT 'person.id_number' AS stored, CASE get_byte(id_number_enc, 0) WHEN 2 THEN encode(substring(id_number_enc FROM 2 FOR 4), 'hex') END AS key_id,
       count(*) AS n, min(id) AS sample_id
FROM person GROUP BY 2
UNION ALL
SELECT 'person.phone', CASE get_byte(phone_enc, 0) WHEN 2 THEN encode(substring(phone_enc FROM 2 FOR 4), 'hex') END,
       count(*), min(id)
FROM person WHERE phone_enc IS NOT NULL GROUP BY 2
UNION ALL
SELECT 'grid_worker.phone', CASE get_byte(phone_enc, 0) WHEN 2 THEN encode(substring(phone_enc FROM 2 FOR 4), 'hex') END,
       count(*), min(id)
FROM grid_worker WHERE phone_enc IS NOT NULL GROUP BY 2
ORDER BY 1, 2
