-- The records of one table in the street $2 (in the scope $1, as in digest_buckets), each with its
-- version, origin and the md5 of its content, in the order of their gids (uuid order, which is the
-- order of their text): the caller walks its own list beside this one. {records} is
-- SyncTables.digestRows of the table.
SELECT r.gid::text AS gid, r.version, r.origin, r.md5
FROM ({records}) r
WHERE r.street = $2 AND (starts_with(r.street, $1) OR starts_with($1, r.street))
ORDER BY r.gid
