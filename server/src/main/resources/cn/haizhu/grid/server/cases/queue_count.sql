-- How many cases the queue's filters ($1 to $8: queue_filter.sql) match, counting at most 10,001
-- (CaseReads.MAX_COUNT + 1): with a million cases of history an unfiltered queue counted them all on
-- every page.
SELECT count(*) AS total FROM (SELECT 1 FROM civic_case c
{queue_filter}
 LIMIT 10001) matching
