-- The content hash of the intake that made a case: a retry with the same content answers that case.
SELECT intake_hash FROM civic_case WHERE gid = $1
