-- For the rest of the transaction, plan each report for its own period: after five runs PostgreSQL would
-- keep a generic plan, which cannot know how many kept rows a period has.
SET LOCAL plan_cache_mode = force_custom_plan
