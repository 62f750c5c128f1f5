-- Hash joins and aggregates over a whole file stay in memory instead of spilling in batches.
SET LOCAL work_mem = '256MB'
