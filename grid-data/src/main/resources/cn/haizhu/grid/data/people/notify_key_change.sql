-- Tells every running server to read its key ring again (the payload is the new key's id, nothing secret).
SELECT pg_notify(?, ?)
