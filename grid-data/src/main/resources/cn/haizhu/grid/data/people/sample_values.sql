-- The stored value of one row, by the column key_usage.sql names (the first parameter) and the
-- row's id (the three others, the same id).
SELECT CASE ?
           WHEN 'person.id_number' THEN (SELECT id_number_enc FROM person WHERE id = ?)
           WHEN 'person.phone' THEN (SELECT phone_enc FROM person WHERE id = ?)
           WHEN 'grid_worker.phone' THEN (SELECT phone_enc FROM grid_worker WHERE id = ?)
       END
