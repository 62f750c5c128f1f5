-- One enterprise for the wall's detail panel, by its unified social credit code.
SELECT e.credit_code, e.name, e.industry, e.legal_person, e.address,
       ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat,
       e.grid_code, g.name AS grid_name, e.community_code, c.name AS community_name,
       e.street_code, s.name AS street_name, e.updated_at
FROM enterprise e
LEFT JOIN grid g ON g.code = e.grid_code
LEFT JOIN admin_area c ON c.code = e.community_code
LEFT JOIN admin_area s ON s.code = e.street_code
WHERE e.credit_code = $1
