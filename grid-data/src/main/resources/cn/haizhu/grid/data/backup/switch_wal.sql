-- Closes the current WAL segment; its file name (pg_walfile_name of the switch's end is the closed one).
SELECT pg_walfile_name(pg_switch_wal())
