SELECT (SELECT completed_at IS NOT NULL FROM demo_dataset),
       EXISTS (SELECT 1 FROM grid)
