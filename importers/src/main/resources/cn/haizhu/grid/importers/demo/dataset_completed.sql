-- The demo data set is in: its grid counts (the areas have no import job to refresh them), their
-- statistics for the planner, and the mark that the load completed.
SELECT refresh_grid_stats();
ANALYZE grid_stats;
UPDATE demo_dataset SET completed_at = now();
