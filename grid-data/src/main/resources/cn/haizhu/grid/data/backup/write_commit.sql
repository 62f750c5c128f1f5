-- A transaction id, so that the segment closed next holds at least one commit even on a quiet cluster.
SELECT pg_current_xact_id()
