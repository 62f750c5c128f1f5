-- The personal-data audit, newest first, a page at a time before an id (keyset), filtered by reader,
-- by a person read, and by period. The names of the persons read come from the person table in the
-- admin's scope; a person since deleted shows by id only.
SELECT a.id, a.at, a.username, a.role, a.action, a.purpose, a.masked, a.row_count, a.subject, a.client_ip,
       a.person_gids,
       ARRAY(SELECT p.name FROM person p WHERE p.gid = ANY (a.person_gids[1:20]) ORDER BY p.name) AS person_names
FROM pii_audit a
WHERE ($1::text IS NULL OR a.username = $1)
  AND ($2::uuid IS NULL OR a.person_gids @> ARRAY[$2::uuid])
  AND ($3::timestamptz IS NULL OR a.at >= $3)
  AND ($4::timestamptz IS NULL OR a.at < $4)
  AND a.id < $5
ORDER BY a.id DESC
LIMIT $6
