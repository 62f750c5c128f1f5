-- The insert triggers on the table that record every new row: the ones the window replaces by a pass at the end.
SELECT tgname FROM pg_trigger
WHERE tgrelid = ?::regclass AND tgname IN ('change_log_ins', 'tile_dirty_ins') AND tgenabled <> 'D'
