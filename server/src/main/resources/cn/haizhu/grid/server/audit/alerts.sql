-- Security alerts, newest first, a page at a time before an id.
SELECT s.id, s.at, s.kind, s.username, s.details
FROM security_alert s
WHERE s.id < $1
ORDER BY s.id DESC
LIMIT $2
