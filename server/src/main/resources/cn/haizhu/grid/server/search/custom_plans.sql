-- For the rest of the transaction, plan each search for its own words: one generic plan would choose
-- between index and scan once, for every word.
SET LOCAL plan_cache_mode = force_custom_plan
