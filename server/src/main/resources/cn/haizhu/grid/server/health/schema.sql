-- The schema version the database is at (the last versioned migration that succeeded: repeatable
-- ones, R__*_functions.sql, have no version) and this platform's node code.
SELECT (SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1),
       (SELECT code FROM platform_node)
