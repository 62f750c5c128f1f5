-- Exact lookup by the keyed hash of an ID number (the number is never stored in the clear): its hashes
-- under each key of the ring, since during a key rotation a row may still carry the old key's.
SELECT p.id, p.gid, p.name, p.gender, p.birth_date, p.household_type, p.id_type, p.id_number_masked, p.phone_masked, p.tags,
       p.house_code, p.grid_code, p.street_code, p.id_number_enc, p.phone_enc
FROM person p
WHERE p.id_number_hash = ANY ($1)
