-- Streets (街道) as features: keyed by their 9-digit code, with their outline.
SELECT a.code AS id, a.geom, a.updated_at AS at,
       json_build_object('name', a.name, 'level', a.level, 'parentCode', a.parent_code,
                         'areaM2', round(a.area_m2), 'updatedAt', a.updated_at) AS properties
FROM admin_area a
WHERE a.level = 'street'
  AND {filter}
