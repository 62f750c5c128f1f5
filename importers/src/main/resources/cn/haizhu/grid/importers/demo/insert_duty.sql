INSERT INTO grid_worker_grid (worker_id, grid_code, duty) VALUES (?, ?, 'primary')
