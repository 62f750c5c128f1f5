-- Per street (an area without one: its own code, the district's outline), how many records of one
-- table lie in the scope $1 (a street or a district code, as SyncScope.covers decides; only the
-- street $2 when it is given) and an order-independent digest of them: the first 64 bits of each
-- record's md5, summed exactly (numeric), hashed with the count. Two nodes holding the same records
-- get the same count and digest, in whatever order they hold them; a record that differs changes the
-- sum but for a chance of 2^-64. One half of the md5, not both: each use of r.md5 computes it again.
-- {records} is SyncTables.digestRows of the table.
SELECT r.street, count(*) AS records,
       md5(count(*) || '/' || sum(('x' || left(r.md5, 16))::bit(64)::bigint)) AS digest
FROM ({records}) r
WHERE (starts_with(r.street, $1) OR starts_with($1, r.street))
  AND ($2::text IS NULL OR r.street = $2)
GROUP BY r.street
ORDER BY r.street
