-- Persons (实有人口) in the reader's scope (row-level security on person and on house), each at its
-- house's point: the stored columns people/PersonView makes either view from (the ciphertexts are
-- opened only for the unmasked view), then the point as WKB. One alias, p, over the person and its
-- house's point, so that a filter names both on it (Queryables.ofExport("persons")).
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT p.gid::text AS id, p.name, p.gender, p.household_type, p.id_type, p.id_number_masked, p.phone_masked,
       p.birth_date, p.tags, p.id_number_enc, p.phone_enc,
       p.house_code, p.grid_code, p.community_code, p.street_code, ST_AsBinary(p.geom, 'NDR') AS geom
FROM (SELECT person.gid, person.name, person.gender, person.household_type, person.id_type, person.id_number_masked,
             person.phone_masked, person.birth_date, person.tags, person.id_number_enc, person.phone_enc,
             person.house_code, person.grid_code, person.community_code, person.street_code, person.updated_at,
             house.geom
      FROM person JOIN house ON house.code = person.house_code) p
WHERE (CAST(? AS text) = '' OR p.street_code = ?)
