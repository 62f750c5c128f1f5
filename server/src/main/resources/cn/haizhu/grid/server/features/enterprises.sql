-- Enterprises (法人单位) as features: keyed by the unified social credit code; the fields the wall's
-- detail panel shows to the same permission (records.read).
SELECT e.credit_code AS id, e.geom, e.updated_at AS at,
       json_build_object('name', e.name, 'industry', e.industry, 'legalPerson', e.legal_person, 'address', e.address,
                         'gridCode', e.grid_code, 'communityCode', e.community_code, 'streetCode', e.street_code,
                         'updatedAt', e.updated_at) AS properties
FROM enterprise e
WHERE {filter}
