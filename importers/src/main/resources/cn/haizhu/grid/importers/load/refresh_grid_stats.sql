SELECT refresh_grid_stats()
