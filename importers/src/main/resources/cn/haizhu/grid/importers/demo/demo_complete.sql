SELECT completed_at IS NOT NULL FROM demo_dataset
