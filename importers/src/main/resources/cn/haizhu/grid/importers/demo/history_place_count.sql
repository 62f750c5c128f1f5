SELECT count(*) FROM history_place
