-- The handling's last report of a case (处置反馈, or the report of a case handled on the spot): its words
-- and photos make the final reply (办结回复) a work order from a level above gets when it is closed here.
SELECT comment, attachment_ids FROM case_event
WHERE case_gid = $1 AND action IN ('feedback', 'self_handle')
ORDER BY seq DESC LIMIT 1
