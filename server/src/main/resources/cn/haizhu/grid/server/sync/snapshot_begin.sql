-- A snapshot reads every table from one picture of the database, and changes nothing.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
