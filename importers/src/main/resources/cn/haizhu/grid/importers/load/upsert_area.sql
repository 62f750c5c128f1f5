-- One admin area, upserted by its code: written only when it differs. Its gid is made from its code,
-- so that every node holds the area under the same gid (docs/SYNC.md).
INSERT INTO admin_area AS a (code, level, name, parent_code, street_code, geom, gid)
VALUES (?, ?, ?, ?, ?, ST_Multi(ST_GeomFromWKB(?, 4326)), gridctl_area_gid(?::text))
ON CONFLICT (code) DO UPDATE SET level = EXCLUDED.level, name = EXCLUDED.name,
    parent_code = EXCLUDED.parent_code, street_code = EXCLUDED.street_code, geom = EXCLUDED.geom
WHERE (a.level, a.name, a.parent_code, a.street_code, a.geom)
      IS DISTINCT FROM (EXCLUDED.level, EXCLUDED.name, EXCLUDED.parent_code, EXCLUDED.street_code, EXCLUDED.geom)
