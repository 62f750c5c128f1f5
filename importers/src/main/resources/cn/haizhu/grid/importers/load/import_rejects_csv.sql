-- A job's rejected rows and warnings, in file order, for its CSV.
SELECT row_no, severity, field, value, reason_zh, reason_en FROM import_reject WHERE job_id = ?
ORDER BY row_no, severity
