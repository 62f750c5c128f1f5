SELECT count(*) FROM grid_reshaped
