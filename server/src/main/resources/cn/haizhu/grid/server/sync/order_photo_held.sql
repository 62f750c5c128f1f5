-- Whether the photo ? is held here already.
SELECT 1 FROM attachment WHERE id = ?
