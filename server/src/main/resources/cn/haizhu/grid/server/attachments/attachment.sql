-- A photo's row, if the caller may see it (row-level security, V23: its sender until it is cited, then
-- the readers of its cases).
SELECT id, content_type, bytes, sha256, width, height, file_name, uploaded_by, uploaded_at,
       ST_X(location) AS lon, ST_Y(location) AS lat
FROM attachment WHERE id = $1
