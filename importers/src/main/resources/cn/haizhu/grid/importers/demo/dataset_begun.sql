INSERT INTO demo_dataset (scale, seed) VALUES (?, ?) ON CONFLICT (singleton) DO NOTHING
