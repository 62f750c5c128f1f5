INSERT INTO import_reject (job_id, row_no, field, value, reason_zh, reason_en, severity)
VALUES (?, ?, ?, ?, ?, ?, ?)
