-- For the rest of the transaction, plan a page with a box or a filter for its own values: a generic
-- plan would choose once between walking the key (a large box) and the spatial index (a small one).
SET LOCAL plan_cache_mode = force_custom_plan
