-- The counts per grid the walls show, computed again from the records now held (derived data does not flow).
SELECT refresh_grid_stats()
