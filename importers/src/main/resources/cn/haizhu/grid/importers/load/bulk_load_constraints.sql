-- Unique constraints no foreign key depends on, and the table's own foreign keys: (name, definition, type).
SELECT k.conname, pg_get_constraintdef(k.oid), k.contype
FROM pg_constraint k
WHERE k.conrelid = ?::regclass
  AND (k.contype = 'f'
       OR (k.contype = 'u' AND NOT EXISTS (
            SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)))
ORDER BY k.contype DESC, k.conname
