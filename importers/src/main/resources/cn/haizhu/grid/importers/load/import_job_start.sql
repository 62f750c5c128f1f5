-- A job's record, written before its data: the file's SHA-256 may follow once it has been read (import_job_sha).
INSERT INTO import_job (dataset, file_name, file_sha256, file_bytes, format, submitted_by, options)
VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id
