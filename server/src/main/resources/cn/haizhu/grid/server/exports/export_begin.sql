-- An export reads one picture of the database, and changes nothing.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY
