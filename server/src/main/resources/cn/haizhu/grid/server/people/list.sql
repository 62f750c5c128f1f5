-- The persons of a grid or of a house, in the caller's scope (row-level security), a page at a time
-- after a key (keyset paging: a late page costs what the first does; an offset, capped, for older clients).
SELECT p.id, p.gid, p.name, p.gender, p.birth_date, p.household_type, p.id_type, p.id_number_masked, p.phone_masked, p.tags,
       p.house_code, p.grid_code, p.street_code, p.id_number_enc, p.phone_enc
FROM person p
WHERE ($1::text IS NULL OR p.grid_code = $1)
  AND ($2::text IS NULL OR p.house_code = $2)
  AND p.id > $3
ORDER BY p.id
LIMIT $4 OFFSET $5
