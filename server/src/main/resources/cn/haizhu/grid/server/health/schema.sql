-- The schema version the database is at (the last migration that succeeded) and this platform's node code.
SELECT (SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1),
       (SELECT code FROM platform_node)
