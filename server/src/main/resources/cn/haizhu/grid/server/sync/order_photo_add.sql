-- A photo fetched from the level below with the history row that cites it: id ?, type ?, bytes ?, SHA-256 ?,
-- width ?, height ?, sent by ? (as that row names its actor, so the photo follows the case, V23).
INSERT INTO attachment (id, content_type, bytes, sha256, width, height, uploaded_by)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
