-- Unit grids (单元网格) as features: keyed by their 14-digit code, with their outline.
SELECT g.code AS id, g.geom, g.updated_at AS at,
       json_build_object('name', g.name, 'communityCode', g.community_code, 'streetCode', g.street_code,
                         'areaM2', round(g.area_m2), 'updatedAt', g.updated_at) AS properties
FROM grid g
WHERE {filter}
