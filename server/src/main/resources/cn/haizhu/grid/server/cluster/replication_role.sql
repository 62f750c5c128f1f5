-- The replication role, created or given a new password: CREATE/ALTER ROLE take no parameters, so the
-- statement is built by format() from bound values (the role's name, its password). It may replicate
-- and log in, nothing else.
SELECT format(CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name)
                   THEN 'ALTER ROLE %I WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L'
                   ELSE 'CREATE ROLE %I WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L' END,
              r.name, r.password)
FROM (SELECT ?::text AS name, ?::text AS password) r
