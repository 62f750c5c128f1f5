-- Houses (房屋) as features: keyed by the house code, located by their point. No resident in them:
-- persons are no collection (personal data).
SELECT h.code AS id, h.geom, h.updated_at AS at,
       json_build_object('address', h.address, 'building', h.building, 'unit', h.unit, 'floor', h.floor,
                         'room', h.room, 'use', h.use, 'gridCode', h.grid_code, 'communityCode', h.community_code,
                         'streetCode', h.street_code, 'updatedAt', h.updated_at) AS properties
FROM house h
WHERE {filter}
