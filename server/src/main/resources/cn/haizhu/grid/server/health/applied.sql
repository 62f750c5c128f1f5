-- The versioned migrations this database has applied successfully (GET /health/ready compares them with
-- the ones the server carries; repeatable ones, R__*_functions.sql, have no version).
SELECT coalesce(array_agg(version), '{}') FROM flyway_schema_history WHERE success AND version IS NOT NULL
