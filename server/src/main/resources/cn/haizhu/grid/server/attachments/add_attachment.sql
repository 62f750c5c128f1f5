-- A checked photo's row, sent by $10, with where it was taken if the tablet said ($8 lon, $9 lat). An id
-- that exists inserts nothing: the caller then reads the row to tell a retry from a conflict.
INSERT INTO attachment (id, content_type, bytes, sha256, width, height, file_name, location, uploaded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7,
        CASE WHEN $8::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($8, $9), 4326) END, $10)
ON CONFLICT (id) DO NOTHING
